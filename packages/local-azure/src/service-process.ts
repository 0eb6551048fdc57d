import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PortInUseError } from './errors.ts';
import { forwardLines, stopChild } from './child-process.ts';
import { loopback } from './listen.ts';
import type { ServiceDefinition } from './services.ts';

export interface RunningService {
  readonly definition: ServiceDefinition;
  readonly port: number;
  readonly pid: number;
  /** Resolves true once the service accepts connections on its port, false if it exits or times out. */
  readonly ready: Promise<boolean>;
  stop(): Promise<void>;
}

export interface ServiceProcessOptions {
  port: number;
  /** The variables the service gets on top of `baseEnv` (its Container Apps environment + PORT). */
  env: Record<string, string>;
  /** The parent's environment minus anything that could lend the service another credential. */
  baseEnv: Record<string, string | undefined>;
  onOutput: (line: string) => void;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  portEnvVar?: string;
}

const serviceWrapper = fileURLToPath(new URL('./bin/service.ts', import.meta.url));

/** Variables a developer's shell may hold that would let a service authenticate as someone else. */
const credentialVariables = /^(AZURE_|IDENTITY_|MSI_|IMDS_|OPENAI_)/;

/** Refuses early, with a clear message, when the service's port is taken. */
export async function assertPortFree(
  port: number,
  service: string,
  envVar?: string,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(port, service, envVar, { cause: error })
          : error,
      );
    });
    probe.listen(port, loopback, () => probe.close(() => resolve()));
  });
}

/** Runs `node <app>/src/main.ts` with the environment Azure Container Apps would give it. */
export async function startServiceProcess(
  definition: ServiceDefinition,
  options: ServiceProcessOptions,
): Promise<RunningService> {
  if (!definition.main) {
    throw new Error(`apps/${definition.name} has no src/main.ts to run.`);
  }
  await assertPortFree(options.port, `${definition.name} service`, options.portEnvVar);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.baseEnv)) {
    if (value !== undefined && !credentialVariables.test(name)) env[name] = value;
  }
  // Loopback only, like the rest of the stack: a service acts with a token, so it is not for the LAN.
  Object.assign(env, options.env, { PORT: String(options.port), HOST: '127.0.0.1' });
  const child = spawn(process.execPath, [serviceWrapper, definition.main], {
    cwd: definition.directory,
    env,
    // stdin is the lifeline the wrapper watches; closing it means the stack is gone.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  forwardLines(child, options.onOutput);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      options.onExit?.(code, signal);
      resolve();
    });
  });
  return {
    definition,
    port: options.port,
    pid: child.pid ?? 0,
    ready: waitForPort(options.port, exited),
    stop: () => stopChild(child),
  };
}

/** Polls the port until it accepts a connection; gives up when the process exits or after 15 s. */
async function waitForPort(port: number, exited: Promise<void>): Promise<boolean> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (let attempt = 0; attempt < 150 && !gone; attempt += 1) {
    if (await canConnect(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: loopback });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
