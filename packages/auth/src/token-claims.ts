import type { TokenCredential } from '@azure/identity';

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

function stringClaim(payload: Record<string, unknown>, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Decodes a JWT's payload without verifying it (the service verifies; this is for messages).
 * Returns undefined for anything that is not a JWT, such as a fixed bearer string.
 */
export function decodeTokenClaims(token: string): TokenClaims | undefined {
  const payloadPart = token.split('.')[1];
  if (!payloadPart) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const claims = payload as Record<string, unknown>;
  const exp = claims['exp'];
  const audience = Array.isArray(claims['aud'])
    ? claims['aud'].filter((value) => typeof value === 'string').join(' ')
    : stringClaim(claims, 'aud');
  return {
    ...(audience && { audience }),
    ...(stringClaim(claims, 'tid') && { tenantId: stringClaim(claims, 'tid') }),
    ...(stringClaim(claims, 'oid') && { objectId: stringClaim(claims, 'oid') }),
    ...(stringClaim(claims, 'idtyp') && { identityType: stringClaim(claims, 'idtyp') }),
    ...((stringClaim(claims, 'appid') ?? stringClaim(claims, 'azp')) && {
      appId: stringClaim(claims, 'appid') ?? stringClaim(claims, 'azp'),
    }),
    ...(typeof exp === 'number' && { expiresOn: new Date(exp * 1000) }),
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
