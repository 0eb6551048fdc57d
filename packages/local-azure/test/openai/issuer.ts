import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';

/**
 * Mints Entra-shaped v1 access tokens for the tests, signed with a key pair made per run (no key
 * material is committed). The emulator gets the public half as its JWKS.
 */
export interface TestIssuer {
  jwks: JSONWebKeySet;
  mint(claims: {
    oid: string;
    aud?: string;
    iss?: string;
    expiresInSeconds?: number;
    extra?: Record<string, unknown>;
  }): Promise<string>;
}

export async function createTestIssuer(tenantId: string, kid = 'test-key'): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    jwks: { keys: [jwk] },
    mint: async ({ oid, aud, iss, expiresInSeconds = 3600, extra = {} }) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ oid, tid: tenantId, idtyp: 'app', ...extra })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(iss ?? `https://sts.windows.net/${tenantId}/`)
        .setAudience(aud ?? 'https://cognitiveservices.azure.com')
        .setIssuedAt(now - 60)
        .setNotBefore(now - 60)
        .setExpirationTime(now + expiresInSeconds)
        .sign(privateKey);
    },
  };
}
