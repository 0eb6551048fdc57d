import { randomUUID } from 'node:crypto';
import OpenAI, { type ClientOptions } from 'openai';
import { loadLocalIdentities } from '../../src/identities.ts';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../src/openai/emulator.ts';
import { loadRoleAssignments } from '../../src/role-assignments.ts';
import type {
  EmulatorIdentity,
  EmulatorRoleAssignment,
  OpenAIEmulatorOptions,
} from '../../src/openai/options.ts';
import { createTestIssuer, type TestIssuer } from './issuer.ts';

/** What the stack derives from services.json, so the tests exercise the grants the infra mirrors. */
export const identitiesFile: { tenantId: string; identities: EmulatorIdentity[] } =
  loadLocalIdentities();
export const roleAssignments: EmulatorRoleAssignment[] = loadRoleAssignments();

export const tenantId = identitiesFile.tenantId;

export function principalOf(name: string): string {
  const identity = identitiesFile.identities.find((candidate) => candidate.name === name);
  if (!identity) throw new Error(`No identity ${name} among the local identities`);
  return identity.principalId;
}

/** A principal the emulator knows but that holds no role at all. */
export const roleless: EmulatorIdentity = { name: 'id-roleless', principalId: randomUUID() };

export interface Harness {
  emulator: OpenAIEmulator;
  issuer: TestIssuer;
  /** A valid token for `id-api` (Cognitive Services OpenAI User). */
  token: string;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<OpenAIEmulatorOptions> = {}): Promise<Harness> {
  const issuer = await createTestIssuer(tenantId);
  const emulator = await startOpenAIEmulator({
    tenantId,
    jwks: issuer.jwks,
    identities: [...identitiesFile.identities, roleless],
    roleAssignments,
    ...options,
  });
  const token = await issuer.mint({ oid: principalOf('id-api') });
  return { emulator, issuer, token, close: () => emulator.close() };
}

/** An openai client of the v1 API on the harness's emulator, calling with the harness's id-api token. */
export function emulatorClient(harness: Harness, options: ClientOptions = {}): OpenAI {
  return new OpenAI({
    baseURL: `${harness.emulator.url}/openai/v1/`,
    apiKey: () => Promise.resolve(harness.token),
    ...options,
  });
}

export function chatUrl(
  emulator: OpenAIEmulator,
  deployment = 'gpt-4o-mini',
  apiVersion = '2024-10-21',
): string {
  return `${emulator.url}/openai/deployments/${deployment}/chat/completions?api-version=${apiVersion}`;
}

export function jsonRequest(
  token: string | undefined,
  body: unknown,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

export const hello = { messages: [{ role: 'user', content: 'Hello there' }] };
