/**
 * Puts a chat job on the worker's queue and prints its id:
 *   npm run enqueue -- "Write a haiku about queues" [--max-tokens 100] [--count 10] [--id my-job]
 * Uses the current environment, or the env file the local stack writes (.local-azure/stack.env).
 */
import {
  createCredential,
  createQueueServiceClient,
  isKeylessError,
  loadConfig,
} from '@keyless/auth';
import { trustCertificate } from '@keyless/local-azure';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { accountName, cliEnvironment } from '../cli-env.ts';
import { jobSchema } from '../job.ts';

const usage =
  'Usage: npm run enqueue -- "a prompt" [--max-tokens <n>] [--count <n>] [--id <job id>] [--queue <name>]';

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'max-tokens': { type: 'string' },
      count: { type: 'string', default: '1' },
      id: { type: 'string' },
      queue: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const prompt = positionals.join(' ').trim();
  if (!prompt) throw new Error(`Give the prompt as an argument.\n${usage}`);
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    throw new Error(`--count must be a whole number from 1 to 10000 (got ${values.count}).`);
  }
  if (values.id !== undefined && count > 1)
    throw new Error('--id names one job; drop it or --count.');

  const stackEnv = resolve(import.meta.dirname, '../../../../.local-azure/stack.env');
  const { env, source, stackCertificate } = cliEnvironment(process.env, stackEnv);
  // The identity library reads IDENTITY_ENDPOINT & co. from process.env itself.
  Object.assign(process.env, env);
  if (stackCertificate) trustCertificate(stackCertificate);

  const config = loadConfig(env, { storage: true });
  const { credential } = createCredential(config.identity);
  const queueService = createQueueServiceClient(config, credential);
  const queueName = values.queue ?? env.WORKER_QUEUE ?? 'jobs';
  const queue = queueService.getQueueClient(queueName);
  await queue.createIfNotExists();

  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const job = jobSchema.parse({
      id: values.id ?? randomUUID(),
      prompt,
      ...(values['max-tokens'] === undefined ? {} : { maxTokens: Number(values['max-tokens']) }),
    });
    await queue.sendMessage(JSON.stringify(job));
    ids.push(job.id);
    console.log(job.id);
  }
  const example = ids[0];
  const account = accountName(config.storage.blobEndpoint ?? config.storage.queueEndpoint ?? '');
  // The az command only makes sense for a real storage account, not for the local stack's Azurite.
  const inAzure = new URL(queue.url).hostname.endsWith('.core.windows.net');
  console.error(
    `\nEnqueued ${ids.length} job(s) on ${queue.url} (settings from ${source}).\n` +
      `Read the result:  npm run result -- ${example}` +
      (inAzure
        ? `\nWith az:          az storage blob download --auth-mode login --account-name ${account} -c results -n ${example}.json -f /dev/stdout`
        : ''),
  );
} catch (error) {
  console.error(isKeylessError(error) || error instanceof Error ? error.message : error);
  process.exit(1);
}
