import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JSONWebKeySet, JWK } from 'jose';

/** The RS256 key the endpoint signs with; made fresh at every start, never written to disk. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  return { kid, privateKey, publicJwk: { ...exported, kid, alg: 'RS256', use: 'sig' } };
}

/** The key set verifiers fetch, shaped like Entra's `discovery/keys` document. */
export function keySet(key: SigningKey): JSONWebKeySet {
  return { keys: [{ ...key.publicJwk }] };
}
