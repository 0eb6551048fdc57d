import type { JSONWebKeySet } from 'jose';

/** What a deployment serves: chat completions or embeddings (Azure refuses the other operation). */
export type DeploymentKind = 'chat' | 'embeddings';

/** One model deployment of the emulated Azure OpenAI resource. */
export interface DeploymentConfig {
  /** The deployment name callers put in the path (dated API) or in `model` (v1 API). */
  name: string;
  kind: DeploymentKind;
  /** The model name the responses report, e.g. `gpt-4o-mini-2024-07-18`. */
  model: string;
  /** Embedding deployments only: the vector length when the request names no `dimensions`. */
  dimensions?: number;
}

/** Per-deployment quota, as Azure sets it on a deployment (unset = unlimited). */
export interface RateLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

/** Simulated model latency: `fixedMs` before the first byte, `perTokenMs` for every generated token. */
export interface Latency {
  fixedMs?: number;
  perTokenMs?: number;
}

/** The identities a token's `oid` is looked up in (structurally the stack's `LocalIdentity`). */
export interface EmulatorIdentity {
  name: string;
  principalId: string;
  clientId?: string;
}

/** `principal` (an identity name or principal id) holds `role` (a built-in role name or id) on `scope`. */
export interface EmulatorRoleAssignment {
  principal: string;
  role: string;
  scope: string;
  target?: string;
}

export interface OpenAIEmulatorOptions {
  /** 0 (the default) picks a free port; the server binds 127.0.0.1 only. */
  port?: number;
  /** The Entra tenant whose tokens are accepted (`iss` `https://sts.windows.net/<tenant>/`). */
  tenantId: string;
  /** The identity endpoint's public keys; a function is asked on every verification, so keys may rotate. */
  jwks: JSONWebKeySet | (() => JSONWebKeySet);
  identities: readonly EmulatorIdentity[];
  roleAssignments: readonly EmulatorRoleAssignment[];
  /** Defaults to `gpt-4o-mini` (chat) and `text-embedding-3-small` (1536 dimensions). */
  deployments?: readonly DeploymentConfig[];
  /** Quota per deployment name. */
  limits?: Readonly<Record<string, RateLimits>>;
  latency?: Latency;
  /** Largest request body accepted before a 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** Reported in `x-ms-region` (default `Local`). */
  region?: string;
}

export const defaultDeployments: readonly DeploymentConfig[] = [
  { name: 'gpt-4o-mini', kind: 'chat', model: 'gpt-4o-mini-2024-07-18' },
  {
    name: 'text-embedding-3-small',
    kind: 'embeddings',
    model: 'text-embedding-3-small',
    dimensions: 1536,
  },
];

export const defaultMaxBodyBytes = 1024 * 1024;
