import type { TokenCredential } from '@azure/identity';
import { decodeJwt, type JWTPayload } from 'jose';

/** The claims of an access token worth showing a human. Never the token itself. */
export interface TokenClaims {
  audience?: string;
  tenantId?: string;
  /** The principal's object id: what a role assignment needs. */
  objectId?: string;
  /** `app` for managed identities and service principals, `user` for people (Entra's `idtyp`). */
  identityType?: string;
  appId?: string;
  expiresOn?: Date;
}

function stringClaim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads a JWT's claims without verifying it (the service verifies; this is for messages).
 * Returns undefined for anything that is not a JWT, such as a fixed bearer string.
 */
export function decodeTokenClaims(token: string): TokenClaims | undefined {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    return undefined;
  }
  const audience = Array.isArray(claims.aud) ? claims.aud.join(' ') : claims.aud;
  const appId = stringClaim(claims, 'appid') ?? stringClaim(claims, 'azp');
  return {
    ...(audience && { audience }),
    ...(stringClaim(claims, 'tid') && { tenantId: stringClaim(claims, 'tid') }),
    ...(stringClaim(claims, 'oid') && { objectId: stringClaim(claims, 'oid') }),
    ...(stringClaim(claims, 'idtyp') && { identityType: stringClaim(claims, 'idtyp') }),
    ...(appId && { appId }),
    ...(typeof claims.exp === 'number' && { expiresOn: new Date(claims.exp * 1000) }),
  };
}

/**
 * A credential that remembers the claims of the last token it handed out (for the storage
 * clients, which fetch their own tokens), so that a 403 can name the principal's object id.
 */
export function withClaimsRecorded(credential: TokenCredential): {
  credential: TokenCredential;
  lastClaims: () => TokenClaims | undefined;
} {
  let claims: TokenClaims | undefined;
  let lastToken: string | undefined;
  const recording: TokenCredential = {
    getToken: async (scopes, options) => {
      const token = await credential.getToken(scopes, options);
      if (token && token.token !== lastToken) {
        lastToken = token.token;
        claims = decodeTokenClaims(token.token);
      }
      return token;
    },
  };
  return { credential: recording, lastClaims: () => claims };
}
