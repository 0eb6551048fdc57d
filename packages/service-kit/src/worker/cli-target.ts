import { join } from 'node:path';
import { findWorkspaceRoot, readRegistry } from '@keyless/registry';
import type { WorkerService } from '@keyless/registry';

/** A name that services.json does not list as a worker: `fix` says what to do instead. */
export class UnknownWorkerError extends Error {
  override readonly name = 'UnknownWorkerError';
  readonly service: string;
  readonly fix: string;
  constructor(service: string, message: string, fix: string) {
    super(message);
    this.service = service;
    this.fix = fix;
  }
}

/**
 * The worker named `service` in the workspace's services.json (found from `from`), whose queue
 * and results container the enqueue and result commands use.
 */
export function findWorker(service: string, from: string): WorkerService {
  const root = findWorkspaceRoot(from);
  if (root === undefined) {
    throw new UnknownWorkerError(
      service,
      `No services.json at or above ${from}.`,
      'run the command from inside the repository',
    );
  }
  const { services } = readRegistry(root);
  const workers = services.filter((candidate) => candidate.kind === 'worker');
  const known = workers.map((worker) => worker.name).join(', ') || 'none';
  const found = services.find((candidate) => candidate.name === service);
  if (found === undefined) {
    throw new UnknownWorkerError(
      service,
      `There is no service named "${service}" in services.json.`,
      `name one of the workers (${known}) with --service, or generate one with \`npm run gen -- service ${service} worker\``,
    );
  }
  if (found.kind !== 'worker') {
    throw new UnknownWorkerError(
      service,
      `"${service}" is an ${found.kind} service, not a worker: it has no queue to take jobs from.`,
      `name one of the workers (${known}) with --service`,
    );
  }
  return found;
}

/** The env file `npm start` writes for the developer identity, at the workspace root. */
export function stackEnvFile(from: string): string {
  return join(findWorkspaceRoot(from) ?? from, '.local-azure', 'stack.env');
}
