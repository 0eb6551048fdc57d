import { timingSafeEqual } from 'node:crypto';
import { identityResourceId } from '../identities.ts';
import type { LocalIdentity } from '../identities.ts';

/** The only version Container Apps and App Service speak with `X-IDENTITY-HEADER`. */
export const identityApiVersion = '2019-08-01';

/** Azure's wording, so that SDK error messages read the same locally and in the cloud. */
export const identityNotFoundMessage =
  'No User Assigned or Delegated Managed Identity found for specified ClientId/ResourceId/PrincipalId.';

export type TokenRequestCheck =
  | { ok: true; identity: LocalIdentity; resource: string }
  | { ok: false; status: number; message: string; resource?: string; clientId?: string };

/** The query parameters that name a user-assigned identity, in the protocol's spelling. */
const selectors = [
  { param: 'client_id', field: 'clientId' },
  { param: 'mi_res_id', field: 'resourceId' },
  { param: 'object_id', field: 'principalId' },
  { param: 'principal_id', field: 'principalId' },
] as const;

/**
 * Checks a token request the way the Container Apps / App Service endpoint does and picks
 * the identity it names. Failures carry Azure's status; our hint follows Azure's sentence.
 */
export function checkTokenRequest(
  query: URLSearchParams,
  headerValue: string | undefined,
  expectedHeader: string,
  identities: readonly LocalIdentity[],
): TokenRequestCheck {
  if (headerValue === undefined || !sameSecret(headerValue, expectedHeader)) {
    return {
      ok: false,
      status: 401,
      message: `Unauthorized. The X-IDENTITY-HEADER header is ${headerValue === undefined ? 'missing' : 'wrong'}. Send the value of IDENTITY_HEADER from the environment the local stack gave you (.local-azure/stack.env).`,
    };
  }
  const apiVersion = query.get('api-version');
  if (apiVersion !== identityApiVersion) {
    return {
      ok: false,
      status: 400,
      message: `${apiVersion ? `The api-version '${apiVersion}' is not supported` : 'The api-version query parameter is missing'}. Use api-version=${identityApiVersion} with the X-IDENTITY-HEADER header.`,
    };
  }
  const rawResource = query.get('resource');
  if (!rawResource) {
    return {
      ok: false,
      status: 400,
      message:
        'The resource query parameter is missing. Name the audience, e.g. resource=https://cognitiveservices.azure.com.',
    };
  }
  const resource = rawResource.replace(/\/\.default$/, '');
  const given = selectors.filter((selector) => query.has(selector.param));
  if (given.length > 1) {
    return {
      ok: false,
      status: 400,
      resource,
      message: `Only one of client_id, mi_res_id, object_id and principal_id may be given; got ${given.map((s) => s.param).join(', ')}.`,
    };
  }
  const selector = given[0];
  if (!selector) {
    return {
      ok: false,
      status: 400,
      resource,
      message: `${identityNotFoundMessage} The local stack has no system-assigned identity: pass client_id (set AZURE_CLIENT_ID) to one of ${identities.map((i) => `${i.name} (${i.clientId})`).join(', ')}.`,
    };
  }
  const wanted = (query.get(selector.param) ?? '').toLowerCase();
  const identity = identities.find((candidate) => {
    const value =
      selector.field === 'resourceId' ? identityResourceId(candidate) : candidate[selector.field];
    return value.toLowerCase() === wanted;
  });
  if (!identity) {
    return {
      ok: false,
      status: 400,
      resource,
      clientId: selector.param === 'client_id' ? wanted : undefined,
      message: `${identityNotFoundMessage} The local stack knows ${identities.map((i) => `${i.name} (${i.clientId})`).join(', ')}; each service in services.json runs as id-<name>.`,
    };
  }
  return { ok: true, identity, resource };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
