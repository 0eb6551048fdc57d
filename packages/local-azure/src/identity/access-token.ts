import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { LocalIdentity } from '../identities.ts';
import type { SigningKey } from './signing-key.ts';

export interface AccessTokenRequest {
  readonly identity: LocalIdentity;
  /** The audience, e.g. `https://cognitiveservices.azure.com` (no `/.default`). */
  readonly resource: string;
  readonly tenantId: string;
  readonly lifetimeSeconds: number;
  /** Seconds since the epoch; passed in so that callers control the clock. */
  readonly now: number;
}

export function issuerFor(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/**
 * Mints an Entra v1-shaped access token: what a verifier (the OpenAI emulator, Azurite,
 * a service's own middleware) reads from a real one. The developer is a user, the rest are apps.
 */
export async function mintAccessToken(
  key: SigningKey,
  request: AccessTokenRequest,
): Promise<string> {
  const { identity, tenantId, now } = request;
  const isUser = identity.principalType === 'User';
  return new SignJWT({
    aio: randomUUID(),
    appid: identity.clientId,
    appidacr: '2',
    idp: issuerFor(tenantId),
    idtyp: isUser ? 'user' : 'app',
    oid: identity.principalId,
    rh: randomUUID(),
    tid: tenantId,
    uti: randomUUID().replaceAll('-', ''),
    ver: '1.0',
    xms_mirid: isUser ? undefined : `/userAssignedIdentities/${identity.name}`,
    ...(isUser ? { name: identity.name, upn: `${identity.name}@local.test` } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid, x5t: key.kid })
    .setIssuer(issuerFor(tenantId))
    .setAudience(request.resource)
    .setSubject(identity.principalId)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + request.lifetimeSeconds)
    .sign(key.privateKey);
}
