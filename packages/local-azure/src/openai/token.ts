import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet } from 'jose';

/** The audiences an Azure OpenAI resource accepts: the Cognitive Services one and the newer AI Foundry one. */
export const acceptedAudiences: readonly string[] = [
  'https://cognitiveservices.azure.com',
  'https://cognitiveservices.azure.com/',
  'https://ai.azure.com',
  'https://ai.azure.com/',
];

export type TokenCheck = { ok: true; principalId: string } | { ok: false; reason: string };

export type TokenVerifier = (authorization: string | undefined) => Promise<TokenCheck>;

/** Verified tokens are remembered until they expire: RS256 verification dominates a cheap request's cost. */
const cacheLimit = 1000;

/**
 * Verifies `Authorization: Bearer <jwt>` the way Entra-protected Azure resources do: an RS256
 * signature by one of the tenant's keys, `iss` of the tenant (v1 or v2 form), an accepted
 * audience, a current `nbf`/`exp`, and an `oid` naming the principal.
 */
export function createTokenVerifier(options: {
  tenantId: string;
  jwks: JSONWebKeySet | (() => JSONWebKeySet);
}): TokenVerifier {
  const keySets = new WeakMap<JSONWebKeySet, ReturnType<typeof createLocalJWKSet>>();
  const verified = new Map<string, { principalId: string; expiresAtMs: number }>();
  const issuers = [
    `https://sts.windows.net/${options.tenantId}/`,
    `https://login.microsoftonline.com/${options.tenantId}/v2.0`,
  ];

  function keySet(): ReturnType<typeof createLocalJWKSet> {
    const jwks = typeof options.jwks === 'function' ? options.jwks() : options.jwks;
    let keys = keySets.get(jwks);
    if (!keys) {
      keys = createLocalJWKSet(jwks);
      keySets.set(jwks, keys);
    }
    return keys;
  }

  return async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const token = match?.[1];
    if (!token) {
      return { ok: false, reason: 'no bearer token in the Authorization header' };
    }
    const cached = verified.get(token);
    if (cached && cached.expiresAtMs > Date.now()) {
      return { ok: true, principalId: cached.principalId };
    }
    try {
      const { payload } = await jwtVerify(token, keySet(), {
        algorithms: ['RS256'],
        issuer: issuers,
        audience: [...acceptedAudiences],
        requiredClaims: ['exp', 'oid'],
      });
      const principalId = String(payload.oid);
      if (verified.size >= cacheLimit) verified.clear();
      verified.set(token, { principalId, expiresAtMs: (payload.exp ?? 0) * 1000 });
      return { ok: true, principalId };
    } catch (error) {
      if (error instanceof errors.JOSEError) {
        return { ok: false, reason: `${error.code}: ${error.message}` };
      }
      throw error;
    }
  };
}
