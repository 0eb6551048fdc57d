/**
 * Prints a job's result (`results/<id>.json`), or says where the job is:
 *   npm run result -- <job id> [--wait <seconds>]
 * Uses the current environment, or the env file the local stack writes (.local-azure/stack.env).
 */
import {
  createBlobServiceClient,
  createCredential,
  createQueueServiceClient,
  isKeylessError,
  loadConfig,
} from '@keyless/auth';
import { trustCertificate } from '@keyless/local-azure';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { cliEnvironment } from '../cli-env.ts';
import { resultBlobName } from '../results.ts';

const usage = 'Usage: npm run result -- <job id> [--wait <seconds>]';

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { wait: { type: 'string', default: '0' }, help: { type: 'boolean', short: 'h' } },
  });
  const id = positionals[0];
  if (values.help || !id) {
    console.log(usage);
    process.exit(values.help ? 0 : 1);
  }
  const waitSeconds = Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
    throw new Error(`--wait must be seconds (got ${values.wait}).`);

  const stackEnv = resolve(import.meta.dirname, '../../../../.local-azure/stack.env');
  const { env, stackCertificate } = cliEnvironment(process.env, stackEnv);
  Object.assign(process.env, env);
  if (stackCertificate) trustCertificate(stackCertificate);

  const config = loadConfig(env, { storage: true });
  const { credential } = createCredential(config.identity);
  const blobService = createBlobServiceClient(config, credential);
  const queueService = createQueueServiceClient(config, credential);
  const blob = blobService
    .getContainerClient(env.WORKER_RESULTS_CONTAINER ?? 'results')
    .getBlockBlobClient(resultBlobName(id));

  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    if (await blob.exists()) {
      console.log((await blob.downloadToBuffer()).toString('utf8'));
      process.exit(0);
    }
    if (Date.now() >= deadline) break;
    await sleep(500);
  }

  // Not done: is it in the poison queue? (peek sees the first 32 messages only)
  const poison = queueService.getQueueClient(env.WORKER_POISON_QUEUE ?? 'jobs-poison');
  if (await poison.exists()) {
    const { peekedMessageItems } = await poison.peekMessages({ numberOfMessages: 32 });
    const entry = peekedMessageItems
      .map((message) => {
        try {
          return JSON.parse(message.messageText) as { jobId?: string; reason?: string };
        } catch {
          return undefined;
        }
      })
      .find((candidate) => candidate?.jobId === id);
    if (entry) {
      console.error(
        `Job ${id} was moved to the poison queue: ${entry.reason ?? '(no reason given)'}`,
      );
      process.exit(2);
    }
  }
  console.error(
    `No result for job ${id} yet. Is the worker running (\`npm start\`)? Wait for it with --wait 30.`,
  );
  process.exit(3);
} catch (error) {
  console.error(isKeylessError(error) || error instanceof Error ? error.message : error);
  process.exit(1);
}
