import { roles, type RoleDefinition } from './catalogue.ts';

/**
 * A worker's own storage, named by the slot of its entry in services.json (`@keyless/registry`)
 * that holds the queue or container name; the infra and the local stack resolve it per worker.
 */
export type StorageSlot = 'queue' | 'poisonQueue' | 'resultsContainer';

/** Where a grant applies: the whole resource, or one of the worker's own queues or containers. */
export interface Grant {
  readonly role: RoleDefinition;
  /** For `storage-queue`/`storage-container` roles, the slot naming the queue or container. */
  readonly target?: StorageSlot;
}

export type ServiceKind = 'api' | 'worker';

/**
 * What each kind of service is granted: the least privilege that lets it do its job.
 * An api only calls the model (and, like every service, publishes its telemetry). A worker also takes jobs off its own queue (read, renew
 * visibility, delete), parks bad ones on its poison queue (add only) and writes results to its own
 * container.
 */
export const grantsByKind: Record<ServiceKind, readonly Grant[]> = {
  api: [
    { role: roles.openAiUser },
    { role: roles.acrPull },
    { role: roles.monitoringMetricsPublisher },
  ],
  worker: [
    { role: roles.openAiUser },
    { role: roles.queueDataContributor, target: 'queue' },
    { role: roles.queueMessageSender, target: 'poisonQueue' },
    { role: roles.blobDataContributor, target: 'resultsContainer' },
    { role: roles.acrPull },
    { role: roles.monitoringMetricsPublisher },
  ],
};

/**
 * What the deploying developer is granted so that local runs against Azure work: the data roles
 * of every kind (never AcrPull, which only the Container Apps need), on every worker's own queues
 * and container.
 */
export const developerGrants: readonly Grant[] = [
  { role: roles.openAiUser },
  { role: roles.queueDataContributor, target: 'queue' },
  { role: roles.queueDataContributor, target: 'poisonQueue' },
  { role: roles.blobDataContributor, target: 'resultsContainer' },
  { role: roles.monitoringMetricsPublisher },
];
