/**
 * Prints a job's result (`<id>.json` in the worker's results container), or says where the job is:
 *   npm run result -- [--service <worker>] <job id> [--wait <seconds>]
 * Exit codes: 0 printed, 1 bad usage or settings, 2 the job is in the poison queue, 3 not done yet.
 * Uses the current environment, or the env file the local stack writes (.local-azure/stack.env).
 */
import { createCredential, isKeylessError, loadConfig } from '@keyless/auth';
import { createBlobServiceClient, createQueueServiceClient } from '@keyless/auth/storage';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { cliEnvironment, trustCertificate } from '../worker/cli-env.ts';
import { findWorker, stackEnvFile, UnknownWorkerError } from '../worker/cli-target.ts';
import { resultBlobName } from '../worker/results.ts';

const usage = 'Usage: npm run result -- [--service <worker name>] <job id> [--wait <seconds>]';

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      service: { type: 'string', default: 'worker' },
      wait: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const id = positionals[0];
  if (values.help || !id) {
    console.log(usage);
    process.exit(values.help ? 0 : 1);
  }
  const worker = findWorker(values.service, process.cwd());
  const waitSeconds = Number(values.wait);
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
    throw new Error(`--wait must be seconds (got ${values.wait}).`);

  const { env, stackCertificate } = cliEnvironment(process.env, stackEnvFile(process.cwd()));
  Object.assign(process.env, env);
  if (stackCertificate) trustCertificate(stackCertificate);

  const config = loadConfig(env, { storage: true });
  const { credential } = createCredential(config.identity);
  const blob = createBlobServiceClient(config, credential)
    .getContainerClient(worker.resultsContainer)
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
  const poison = createQueueServiceClient(config, credential).getQueueClient(worker.poisonQueue);
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
        `Job ${id} was moved to the poison queue ${worker.poisonQueue}: ${entry.reason ?? '(no reason given)'}`,
      );
      process.exit(2);
    }
  }
  const waited = waitSeconds > 0 ? ` after waiting ${waitSeconds} s` : ' yet';
  console.error(
    `No result for job ${id} in ${worker.resultsContainer}${waited}. Is the worker "${worker.name}" running (\`npm start\`)? ${waitSeconds > 0 ? 'Wait longer' : 'Wait for it'} with --wait ${Math.max(30, waitSeconds * 2)}.`,
  );
  process.exit(3);
} catch (error) {
  if (error instanceof UnknownWorkerError) console.error(`${error.message}\nFix: ${error.fix}.`);
  else console.error(isKeylessError(error) || error instanceof Error ? error.message : error);
  process.exit(1);
}
