import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenOnLoopback, loopback } from '../listen.ts';
import { isSupportedApiVersion } from './api-versions.ts';
import { serveControl } from './control.ts';
import { newRequestId, serveDataPlane, type DataPlane } from './data-plane.ts';
import { internalServerError, resourceNotFound } from './errors.ts';
import { createFaultQueue, type Fault } from './faults.ts';
import { sendError, tracingHeaders } from './http.ts';
import { parseLatency } from './latency.ts';
import {
  defaultDeployments,
  defaultMaxBodyBytes,
  type DeploymentConfig,
  type Latency,
  type OpenAIEmulatorOptions,
  type RateLimits,
} from './options.ts';
import { createRateLimiter } from './rate-limits.ts';
import { createResponseStore } from './response-store.ts';
import { createDataActionCheck } from './rbac.ts';
import { matchRoute } from './routes.ts';
import { createTokenVerifier } from './token.ts';

export interface OpenAIEmulator {
  /** `http://127.0.0.1:<port>`: what `AZURE_OPENAI_ENDPOINT` holds. */
  readonly url: string;
  readonly port: number;
  readonly deployments: readonly DeploymentConfig[];
  readonly faults: {
    /** The next `count` data-plane requests fail as described (faults queue up in order). */
    inject(fault: Fault): void;
    clear(): void;
    pending(): Fault[];
  };
  setLatency(latency: Latency): void;
  setLimits(deployment: string, limits: RateLimits): void;
  /** Data-plane requests received so far (control routes and unknown paths not counted). */
  readonly requestCount: number;
  close(): Promise<void>;
}

/**
 * Starts an Azure OpenAI emulator on loopback that behaves like a resource with key auth
 * disabled: Entra tokens only, Azure RBAC per data action, Azure's paths, bodies and errors.
 */
export async function startOpenAIEmulator(options: OpenAIEmulatorOptions): Promise<OpenAIEmulator> {
  const deploymentList = validateDeployments(options.deployments ?? defaultDeployments);
  const deployments = new Map(deploymentList.map((deployment) => [deployment.name, deployment]));
  if (!options.tenantId) {
    throw new TypeError(
      "startOpenAIEmulator needs tenantId: the tenant whose tokens it accepts (the identity endpoint's tenantId, or tenantId in packages/local-azure/config/identities.json).",
    );
  }
  const faults = createFaultQueue();
  const limiter = createRateLimiter();
  let latency = parseLatency(options.latency ?? {});
  const setLimits = (deployment: string, limits: RateLimits): void => {
    if (!deployments.has(deployment)) {
      throw new RangeError(
        `There is no deployment "${deployment}" to limit. Known deployments: ${[...deployments.keys()].join(', ')}.`,
      );
    }
    limiter.set(deployment, limits);
  };
  for (const [deployment, limits] of Object.entries(options.limits ?? {})) {
    setLimits(deployment, limits);
  }

  const plane: DataPlane = {
    deployments,
    verifyToken: createTokenVerifier({ tenantId: options.tenantId, jwks: options.jwks }),
    mayPerform: createDataActionCheck(options.identities, options.roleAssignments),
    faults,
    limiter,
    latency: () => latency,
    maxBodyBytes: options.maxBodyBytes ?? defaultMaxBodyBytes,
    createdAt: Math.floor(Date.now() / 1000),
    responses: createResponseStore(),
  };
  const controls = {
    faults,
    setLatency: (next: Latency) => {
      latency = parseLatency(next);
    },
    setLimits,
  };
  const region = options.region ?? 'Local';
  let requestCount = 0;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${loopback}`);
    if (url.pathname.startsWith('/_emulator/')) {
      return serveControl(controls, request, response, url.pathname);
    }
    const headers = tracingHeaders(request, newRequestId(), region);
    const route = matchRoute(request.method ?? 'GET', url, isSupportedApiVersion);
    if (!route) {
      request.resume();
      return sendError(response, resourceNotFound(), headers);
    }
    requestCount += 1;
    return serveDataPlane(plane, route, request, response, headers);
  }

  const server = createServer({ keepAliveTimeout: 30_000 }, (request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendError(response, internalServerError());
      else response.destroy();
    });
  });
  const wanted = options.port ?? 0;
  const port = await listenOnLoopback(
    server,
    wanted,
    (cause) =>
      new Error(
        `Port ${wanted} on ${loopback} is already in use, so the Azure OpenAI emulator cannot listen on it. Stop whatever holds it (\`lsof -i :${wanted}\`), or start the emulator with another port (port: 0 picks a free one).`,
        { cause },
      ),
  );

  return {
    url: `http://${loopback}:${port}`,
    port,
    deployments: deploymentList,
    faults: {
      inject: (fault) => faults.inject(fault),
      clear: faults.clear,
      pending: faults.pending,
    },
    setLatency: controls.setLatency,
    setLimits,
    get requestCount() {
      return requestCount;
    },
    close: () => closeServer(server),
  };
}

function validateDeployments(list: readonly DeploymentConfig[]): DeploymentConfig[] {
  const seen = new Set<string>();
  for (const deployment of list) {
    if (!deployment.name || seen.has(deployment.name)) {
      throw new TypeError(
        `Deployment names must be unique and non-empty; "${deployment.name}" is ${deployment.name ? 'listed twice' : 'empty'}. Fix the deployments option.`,
      );
    }
    seen.add(deployment.name);
    if (
      deployment.dimensions !== undefined &&
      !(Number.isInteger(deployment.dimensions) && deployment.dimensions > 0)
    ) {
      throw new TypeError(
        `Deployment "${deployment.name}" has dimensions ${deployment.dimensions}; give a positive integer such as 1536.`,
      );
    }
  }
  return list.map((deployment) => ({ ...deployment }));
}
