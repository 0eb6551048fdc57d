// `npm start`: the local Azure stack and every service in apps/, each with the environment that
// Azure Container Apps would give it. Reads its settings from the environment; see README.md.
import { join } from 'node:path';
import { readRegistry, RegistryError } from '@keyless/registry';
import { LocalAzureConfigError, PortInUseError } from './errors.ts';
import { defaultPorts, portEnvVars } from './ports.ts';
import type { StackPorts } from './ports.ts';
import { servicePortVariable } from './services.ts';
import { startLocalAzure } from './stack.ts';
import type { LocalAzure } from './stack.ts';
import { nextSteps, statusTable } from './status.ts';
import { tracesFileIn } from './telemetry/trace-file.ts';
import { localAzureDir, workspaceRoot as repositoryRoot } from './workspace.ts';

const env = process.env;

function readPort(name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LocalAzureConfigError(
      `${name}=${value} is not a port. Set it to a whole number from 1 to 65535 (0 picks a free port), or unset it.`,
    );
  }
  return port;
}

function log(source: string, line: string): void {
  process.stdout.write(`[${source}] ${line}\n`);
}

async function main(): Promise<LocalAzure> {
  const stateDir = env['LOCAL_AZURE_DIR'] || localAzureDir;
  const workspaceRoot = env['LOCAL_AZURE_WORKSPACE'] || repositoryRoot;
  const ports = Object.fromEntries(
    (Object.keys(defaultPorts) as Array<keyof StackPorts>).map((key) => [
      key,
      readPort(portEnvVars[key], defaultPorts[key]),
    ]),
  ) as unknown as StackPorts;
  const servicePorts = Object.fromEntries(
    readRegistry(workspaceRoot).services.map((service) => [
      service.name,
      readPort(servicePortVariable(service.name), service.port),
    ]),
  );

  const stack = await startLocalAzure({
    ports,
    services: true,
    servicePorts,
    workspaceRoot,
    certDir: join(stateDir, 'certs'),
    envFile: join(stateDir, 'stack.env'),
    tracesFile: tracesFileIn(stateDir),
    baseEnv: env,
    onOutput: log,
    onServiceExit: (service, code, signal) => {
      if (!stopping)
        log(service, `exited (${signal ?? `code ${code}`}); the rest of the stack keeps running.`);
    },
  });
  const ready = await Promise.all(stack.services.map((service) => service.ready));
  process.stdout.write(
    `\nLocal Azure is running: no keys, every call authorised by a token from the local identity endpoint (tenant ${stack.tenantId}).\n\n` +
      `${statusTable(stack, ready)}\n\n${nextSteps(stack, process.cwd())}\n`,
  );
  return stack;
}

let stopping = false;
const running = main();

function stop(reason: string): void {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${reason}: stopping the services and the stack...\n`);
  running
    .then((stack) => stack.stop())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// npm runs us under `sh -c`; a SIGTERM to npm can end that shell without reaching us. An orphaned
// CLI therefore stops the stack itself rather than leave servers holding the ports.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop('parent process gone');
}, 500).unref();

running.catch((error: unknown) => {
  const known = error instanceof PortInUseError || error instanceof LocalAzureConfigError;
  const detail =
    error instanceof RegistryError
      ? `${error.message}\nFix: ${error.fix}`
      : known
        ? (error as Error).message
        : String((error as Error).stack ?? error);
  process.stderr.write(`\nnpm start could not start the local stack.\n${detail}\n`);
  process.exit(1);
});
