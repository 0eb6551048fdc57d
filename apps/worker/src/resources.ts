import type { ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import type { Logger } from '@keyless/logging';

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * Creates the jobs queue, the poison queue and the results container if they are missing.
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
      if (statusOf(error) !== 403) throw error;
      logger.warn(
        { resource: what },
        `not allowed to create ${what}; assuming the infrastructure created it (azd provision)`,
      );
    }
  }
}
