import { isRestError } from '@azure/core-rest-pipeline';
import type { ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import type { Logger } from '@keyless/logging';

/**
 * Creates the worker's jobs queue, the poison queue and the results container if they are missing.
 * In Azure the infrastructure creates them and the worker's roles may not allow creating
 * (a "Message Sender" on the poison queue cannot): a 403 is logged, not fatal.
 */
export async function ensureResources(
  resources: { queue: QueueClient; poisonQueue: QueueClient; container: ContainerClient },
  logger: Logger,
): Promise<void> {
  const attempts: Array<[string, () => Promise<unknown>]> = [
    [`queue ${resources.queue.name}`, () => resources.queue.createIfNotExists()],
    [`queue ${resources.poisonQueue.name}`, () => resources.poisonQueue.createIfNotExists()],
    [
      `container ${resources.container.containerName}`,
      () => resources.container.createIfNotExists(),
    ],
  ];
  for (const [what, create] of attempts) {
    try {
      await create();
    } catch (error) {
      if (!isRestError(error) || error.statusCode !== 403) throw error;
      logger.warn(
        { resource: what },
        `not allowed to create ${what}; assuming it is provisioned by the infra (azd provision)`,
      );
    }
  }
}
