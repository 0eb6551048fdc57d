import { roles, type RoleDefinition } from './catalogue.ts';

/** Where a grant applies: the whole resource, or one queue or blob container in it. */
export interface Grant {
  readonly role: RoleDefinition;
  /** A queue or container name for `storage-queue`/`storage-container` roles; undefined for the whole resource. */
  readonly target?: string;
}

export type ServiceKind = 'api' | 'worker';

export const queues = { jobs: 'jobs', poison: 'jobs-poison' } as const;
export const containers = { results: 'results' } as const;

/**
 * What each kind of service is granted: the least privilege that lets it do its job.
 * An api only calls the model. A worker also takes jobs off `jobs` (read, renew visibility,
 * delete), parks bad ones on `jobs-poison` (add only) and writes results to `results`.
 */
export const grantsByKind: Record<ServiceKind, readonly Grant[]> = {
  api: [{ role: roles.openAiUser }, { role: roles.acrPull }],
  worker: [
    { role: roles.openAiUser },
    { role: roles.queueDataContributor, target: queues.jobs },
    { role: roles.queueMessageSender, target: queues.poison },
    { role: roles.blobDataContributor, target: containers.results },
    { role: roles.acrPull },
  ],
};

/**
 * What the deploying developer is granted so that local runs against Azure work: the data roles
 * of every kind (never AcrPull, which only the Container Apps need), on the same targets.
 */
export const developerGrants: readonly Grant[] = [
  { role: roles.openAiUser },
  { role: roles.queueDataContributor, target: queues.jobs },
  { role: roles.queueDataContributor, target: queues.poison },
  { role: roles.blobDataContributor, target: containers.results },
];
