import { getBearerTokenProvider, type TokenCredential } from '@azure/identity';
import { credentialFailure } from './error-mapping.ts';
import { decodeTokenClaims, type TokenClaims } from './token-claims.ts';

/** A bearer-token function for one scope, which also remembers the claims of its latest token. */
export interface KeylessTokenProvider {
  (): Promise<string>;
  readonly scope: string;
  /** Claims of the latest token (object id, tenant, audience, expiry), for error messages. */
  lastClaims(): TokenClaims | undefined;
}

/**
 * Wraps @azure/identity's getBearerTokenProvider, which already shares one in-flight request
 * among concurrent callers and refreshes ahead of expiry. This adds only two things: failures
 * become a KeylessError that says how to fix them, and the latest token's claims are kept.
 */
export function createTokenProvider(
  credential: TokenCredential,
  scope: string,
): KeylessTokenProvider {
  const getToken = getBearerTokenProvider(credential, scope);
  let lastToken: string | undefined;
  let claims: TokenClaims | undefined;

  const provider = async (): Promise<string> => {
    let token: string;
    try {
      token = await getToken();
    } catch (error) {
      throw credentialFailure(error, scope);
    }
    // Decode only when the token changes: callers ask for it on every request.
    if (token !== lastToken) {
      lastToken = token;
      claims = decodeTokenClaims(token);
    }
    return token;
  };
  return Object.assign(provider, { scope, lastClaims: () => claims });
}
