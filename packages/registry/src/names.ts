import type { Service, WorkerService } from './registry.ts';

/** The user-assigned managed identity a service runs as, in Azure and locally. */
export function identityName(service: Pick<Service, 'name'>): string {
  return `id-${service.name}`;
}

/** The naming convention the generator follows for a new worker's own queues and container. */
export function storageNamesFor(
  name: string,
): Pick<WorkerService, 'queue' | 'poisonQueue' | 'resultsContainer'> {
  return {
    queue: `${name}-jobs`,
    poisonQueue: `${name}-poison`,
    resultsContainer: `${name}-results`,
  };
}
