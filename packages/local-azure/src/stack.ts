import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startAzurite } from './azurite/azurite.ts';
import type { AzuriteHandle } from './azurite/azurite.ts';
import { writeEnvFile } from './env-file.ts';
import { PortInUseError } from './errors.ts';
import { identityName as identityNameOf, readModels, readRegistry } from '@keyless/registry';
import type { Registry } from '@keyless/registry';
import { deploymentsFor } from './deployments.ts';
import { loadLocalIdentities, localIdentitiesFor } from './identities.ts';
import type { LocalIdentity } from './identities.ts';
import { startIdentityEndpoint } from './identity/endpoint.ts';
import type { IdentityEndpoint } from './identity/endpoint.ts';
import { loopback } from './listen.ts';
import { startOpenAIEmulator } from './openai/emulator.ts';
import type { OpenAIEmulator } from './openai/emulator.ts';
import type { DeploymentConfig, Latency, RateLimits } from './openai/options.ts';
import { defaultPorts, freePorts, portEnvVars } from './ports.ts';
import type { StackPorts } from './ports.ts';
import { loadRoleAssignments, localRoleAssignmentsFor } from './role-assignments.ts';
import type { RoleAssignment } from './role-assignments.ts';
import { startServiceProcess } from './service-process.ts';
import type { RunningService } from './service-process.ts';
import { discoverServices, servicePortVariable } from './services.ts';
import type { ServiceDefinition } from './services.ts';
import { localAzureDir, workspaceRoot as defaultWorkspaceRoot } from './workspace.ts';
import { startTelemetryReceiver } from './telemetry/receiver.ts';
import type { TelemetryReceiver } from './telemetry/receiver.ts';

export interface LocalAzureOptions {
  /** `free` (the default) for tests, `default` for `npm start`, or default ports with some moved. */
  ports?: 'free' | 'default' | Partial<StackPorts>;
  /** Start Azurite (default true). */
  storage?: boolean;
  /** Start the apps' services too: all of them (true) or the named ones. Default false. */
  services?: boolean | string[];
  /** Service ports by service name, over its `port` in services.json. */
  servicePorts?: Record<string, number>;
  tokenLifetimeSeconds?: number;
  latency?: Latency;
  /** The emulator's deployments; by default those of the workspace's infra/models.json. */
  deployments?: DeploymentConfig[];
  limits?: Record<string, RateLimits>;
  /** Write the `developer` identity's environment here (the file a process joins the stack with). */
  envFile?: string;
  /** Whose environment the env file holds (default `developer`). */
  envFileIdentity?: string;
  /**
   * The repository whose services.json lists the services (their identities, grants, ports and
   * queues) and whose infra/models.json names the deployments. Default: this repository.
   */
  workspaceRoot?: string;
  /** Where each service's code is (`<appsDir>/<name>`); default `<workspaceRoot>/apps`. */
  appsDir?: string;
  /** Replaces the identities derived from services.json with a file of `{ tenantId, identities }` (tests). */
  identitiesPath?: string | URL;
  /** Identities added to the others, such as one that holds no role (tests); they get no grants. */
  extraIdentities?: LocalIdentity[];
  /** Replaces the grants derived from services.json with a file of `{ roleAssignments }` (tests). */
  roleAssignmentsPath?: string | URL;
  /** Where Azurite's certificate goes; a temporary folder unless given (`npm start` uses .local-azure/certs). */
  certDir?: string;
  /** Persist Azurite's data here; in memory without it. */
  dataDir?: string;
  /** Append received spans here for `npm run traces`; in memory only without it. */
  tracesFile?: string;
  /** The environment services inherit before their own variables (the CLI passes its own). */
  baseEnv?: Record<string, string | undefined>;
  /** Output of Azurite and the services, a line at a time, with its source. */
  onOutput?: (source: string, line: string) => void;
  /** A service exited while the stack was running. */
  onServiceExit?: (service: string, code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface LocalAzure {
  readonly tenantId: string;
  /** services.json as the stack read it at start. */
  readonly registry: Registry;
  readonly identity: IdentityEndpoint;
  readonly openai: OpenAIEmulator;
  readonly storage?: AzuriteHandle;
  /** Where services send traces and metrics (OTLP/HTTP). */
  readonly telemetry: TelemetryReceiver;
  readonly identities: LocalIdentity[];
  readonly roleAssignments: RoleAssignment[];
  readonly services: RunningService[];
  /** Services that were asked for but have no src/main.ts yet. */
  readonly skippedServices: ServiceDefinition[];
  readonly envFile?: string;
  /** Exactly what Azure Container Apps would give the service running as `identityName`. */
  envFor(identityName: string): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts the local Azure stack: the managed-identity endpoint, the Azure OpenAI emulator, Azurite
 * over OAuth and, if asked, the services. Identities, grants and each service's environment are
 * derived from services.json and @keyless/roles at every start; deployments from infra/models.json.
 */
export async function startLocalAzure(options: LocalAzureOptions = {}): Promise<LocalAzure> {
  const root = options.workspaceRoot ?? defaultWorkspaceRoot;
  const registry = readRegistry(root);
  const loaded =
    options.identitiesPath === undefined
      ? localIdentitiesFor(registry)
      : loadLocalIdentities(options.identitiesPath);
  const { tenantId } = loaded;
  const identities = [...loaded.identities, ...(options.extraIdentities ?? [])];
  const roleAssignments =
    options.roleAssignmentsPath === undefined
      ? localRoleAssignmentsFor(registry)
      : loadRoleAssignments(options.roleAssignmentsPath, identities);
  const deployments = options.deployments ?? deploymentsFor(readModels(root));
  const ports = resolvePorts(options.ports);
  const definitions = selectServices(
    options.services ?? false,
    discoverServices(registry, options.appsDir ?? join(root, 'apps')),
  );
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch(() => undefined);
    }
  };

  try {
    const identity = await startIdentityEndpoint({
      port: ports.identity,
      tenantId,
      identities,
      tokenLifetimeSeconds: options.tokenLifetimeSeconds,
      portEnvVar: portEnvVars.identity,
    });
    cleanups.push(() => identity.close());
    const telemetry = await startTelemetryReceiver({
      port: ports.otlp,
      file: options.tracesFile,
      portEnvVar: portEnvVars.otlp,
    });
    cleanups.push(() => telemetry.close());

    const [openai, storage] = await Promise.all([
      startEmulator({
        port: ports.openai,
        tenantId,
        jwks: () => identity.jwks(),
        identities,
        roleAssignments,
        deployments,
        limits: options.limits,
        latency: options.latency,
      }).then((emulator) => {
        cleanups.push(() => emulator.close());
        return emulator;
      }),
      options.storage === false
        ? undefined
        : startAzurite({
            blobPort: ports.blob,
            queuePort: ports.queue,
            certDir: options.certDir,
            dataDir: options.dataDir,
            portEnvVars: { blob: portEnvVars.blob, queue: portEnvVars.queue },
            onOutput: (source, line) => options.onOutput?.(source, line),
          }).then((azurite) => {
            cleanups.push(() => azurite.close());
            return azurite;
          }),
    ]);

    const envFor = (identityName: string): Record<string, string> =>
      serviceEnvironment(identityName, { registry, identities, identity, openai, storage });

    const services: RunningService[] = [];
    const runnable = definitions.filter((definition) => definition.main);
    for (const definition of runnable) {
      const port =
        options.servicePorts?.[definition.name] ??
        (ports === freePorts ? await freePort() : definition.port);
      const service = await startServiceProcess(definition, {
        port,
        env: { ...envFor(definition.identityName), ...telemetry.env(definition.name) },
        baseEnv: options.baseEnv ?? {},
        onOutput: (line) => options.onOutput?.(definition.name, line),
        onExit: (code, signal) => options.onServiceExit?.(definition.name, code, signal),
        portEnvVar: servicePortVariable(definition.name),
      });
      services.push(service);
      cleanups.push(() => service.stop());
    }

    if (options.envFile) {
      const envFile = options.envFile;
      await writeEnvFile(
        envFile,
        { ...envFor(options.envFileIdentity ?? 'developer'), ...telemetry.env() },
        options.envFileIdentity ?? 'developer',
      );
      cleanups.push(() => rm(envFile, { force: true }));
    }

    return {
      tenantId,
      registry,
      identity,
      openai,
      storage,
      telemetry,
      identities,
      roleAssignments,
      services,
      skippedServices: definitions.filter((definition) => !definition.main),
      envFile: options.envFile,
      envFor,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Where `npm start` keeps the certificate, so that NODE_EXTRA_CA_CERTS has a stable path. */
export const defaultCertDir = join(localAzureDir, 'certs');

interface EnvironmentSources {
  registry: Registry;
  identities: readonly LocalIdentity[];
  identity: IdentityEndpoint;
  openai: OpenAIEmulator;
  storage: AzuriteHandle | undefined;
}

function serviceEnvironment(
  identityName: string,
  sources: EnvironmentSources,
): Record<string, string> {
  const identity = sources.identities.find((candidate) => candidate.name === identityName);
  if (!identity) {
    throw new Error(
      `There is no local identity named "${identityName}". Known: ${sources.identities.map((i) => i.name).join(', ')}. A service's identity is id-<name> for each service in services.json; add a service with \`npm run gen\`.`,
    );
  }
  const chat = sources.openai.deployments.find((deployment) => deployment.kind === 'chat');
  const embeddings = sources.openai.deployments.find(
    (deployment) => deployment.kind === 'embeddings',
  );
  const service = sources.registry.services.find(
    (candidate) => identityNameOf(candidate) === identityName,
  );
  return {
    IDENTITY_ENDPOINT: sources.identity.url,
    IDENTITY_HEADER: sources.identity.header,
    AZURE_CLIENT_ID: identity.clientId,
    // Keeps DefaultAzureCredential on managed identity, as in Container Apps: no developer tool is tried.
    AZURE_TOKEN_CREDENTIALS: 'ManagedIdentityCredential',
    AZURE_OPENAI_ENDPOINT: sources.openai.url,
    ...(chat ? { AZURE_OPENAI_CHAT_DEPLOYMENT: chat.name } : {}),
    ...(embeddings ? { AZURE_OPENAI_EMBEDDING_DEPLOYMENT: embeddings.name } : {}),
    ...(sources.storage
      ? {
          AZURE_STORAGE_QUEUE_ENDPOINT: sources.storage.queueEndpoint,
          AZURE_STORAGE_BLOB_ENDPOINT: sources.storage.blobEndpoint,
          NODE_EXTRA_CA_CERTS: sources.storage.caCertPath,
        }
      : {}),
    // A worker's own queues and container, as the infra sets them on its Container App.
    ...(service?.kind === 'worker'
      ? {
          WORKER_QUEUE: service.queue,
          WORKER_POISON_QUEUE: service.poisonQueue,
          WORKER_RESULTS_CONTAINER: service.resultsContainer,
        }
      : {}),
  };
}

function resolvePorts(ports: LocalAzureOptions['ports']): StackPorts {
  if (ports === undefined || ports === 'free') return freePorts;
  if (ports === 'default') return defaultPorts;
  return { ...defaultPorts, ...ports };
}

function selectServices(
  services: boolean | string[],
  all: ServiceDefinition[],
): ServiceDefinition[] {
  if (services === false) return [];
  if (services === true) return all;
  const unknown = services.filter((name) => !all.some((definition) => definition.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `No service named ${unknown.join(', ')} in services.json; found: ${all.map((d) => d.name).join(', ') || 'none'}. Add a service with \`npm run gen\`.`,
    );
  }
  return all.filter((definition) => services.includes(definition.name));
}

/** The emulator's own port message does not name our override variable; this one does. */
async function startEmulator(
  options: Parameters<typeof startOpenAIEmulator>[0],
): Promise<OpenAIEmulator> {
  try {
    return await startOpenAIEmulator(options);
  } catch (error) {
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    if (cause?.code === 'EADDRINUSE') {
      throw new PortInUseError(options.port ?? 0, 'Azure OpenAI emulator', portEnvVars.openai, {
        cause: error,
      });
    }
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, loopback, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
