/**
 * Puts a job on a worker's own queue (services.json) and prints its id:
 *   npm run enqueue -- [--service <worker>] "Write a haiku about queues" [--max-tokens 100] [--count 10] [--id my-job]
 *   npm run enqueue -- [--service <worker>] --json '{"text":"..."}' [--count 10] [--id my-job]
 * The first form is the kit's chat job; `--json` sends any job, for a worker with a handler of its own.
 * Uses the current environment, or the env file the local stack writes (.local-azure/stack.env).
 */
import { createCredential, isKeylessError, loadConfig } from '@keyless/auth';
import { createQueueServiceClient } from '@keyless/auth/storage';
import { readTelemetrySettings, startTelemetry, traceEnqueue } from '@keyless/telemetry';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { chatJobSchema } from '../worker/chat-job.ts';
import { jobIdSchema } from '../worker/message.ts';
import { accountName, cliEnvironment, trustCertificate } from '../worker/cli-env.ts';
import { findWorker, stackEnvFile, UnknownWorkerError } from '../worker/cli-target.ts';

const usage = [
  'Usage: npm run enqueue -- [--service <worker name>] "a prompt" [--max-tokens <n>] [--count <n>] [--id <job id>]',
  "       npm run enqueue -- [--service <worker name>] --json '<job object>' [--count <n>] [--id <job id>]",
].join('\n');

interface JobSource {
  /** The id the job itself names (`--json` with an `id`), used when no `--id` is given. */
  ownId?: string;
  withId(id: string): Record<string, unknown>;
}

/** The job to send: the chat job from a prompt, or the `--json` object as it is. */
function jobFrom(values: { json?: string; 'max-tokens'?: string }, prompt: string): JobSource {
  if (values.json === undefined) {
    if (!prompt) throw new Error(`Give the prompt as an argument, or a job with --json.\n${usage}`);
    return {
      withId: (id) => {
        const job = {
          id,
          prompt,
          ...(values['max-tokens'] === undefined
            ? {}
            : { maxTokens: Number(values['max-tokens']) }),
        };
        const checked = chatJobSchema.safeParse(job);
        if (!checked.success) {
          throw new Error(
            `Not a valid job: ${checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
          );
        }
        return job;
      },
    };
  }
  if (prompt || values['max-tokens'] !== undefined) {
    throw new Error(`--json is the whole job: drop the prompt and --max-tokens.\n${usage}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(values.json);
  } catch {
    throw new Error(
      `--json must be a JSON object, such as '{"text":"hello"}' (got ${values.json}).`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(
      `--json must be a JSON object, such as '{"text":"hello"}' (got ${values.json}).`,
    );
  }
  // Its schema is the worker's own handler's: the worker poisons a job it refuses, with the reason.
  const { id: ownId } = parsed as { id?: unknown };
  if (ownId !== undefined && typeof ownId !== 'string') {
    throw new Error(`The job's "id" must be a string (got ${JSON.stringify(ownId)}).`);
  }
  return { ...(ownId === undefined ? {} : { ownId }), withId: (id) => ({ ...parsed, id }) };
}

/** The job ids to send: `--id`, the job's own, or new UUIDs; each one a valid job id. */
function idsFor(count: number, given: string | undefined, source: JobSource): string[] {
  if (given !== undefined && source.ownId !== undefined && given !== source.ownId) {
    throw new Error(
      `--id ${given} and the job's own "id" (${source.ownId}) differ; give the id once.`,
    );
  }
  const named = given ?? source.ownId;
  if (named !== undefined && count > 1) {
    throw new Error('An id names one job; drop --id (or the job\'s "id") or --count.');
  }
  const ids = named === undefined ? Array.from({ length: count }, () => randomUUID()) : [named];
  const bad = jobIdSchema.safeParse(ids[0]);
  if (!bad.success) throw new Error(`The job id "${ids[0]}" ${bad.error.issues[0]?.message}.`);
  return ids;
}

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      service: { type: 'string', default: 'worker' },
      'max-tokens': { type: 'string' },
      json: { type: 'string' },
      count: { type: 'string', default: '1' },
      id: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const worker = findWorker(values.service, process.cwd());
  const prompt = positionals.join(' ').trim();
  const jobSource = jobFrom(values, prompt);
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    throw new Error(`--count must be a whole number from 1 to 10000 (got ${values.count}).`);
  }
  const jobIds = idsFor(count, values.id, jobSource);

  const { env, source, stackCertificate } = cliEnvironment(
    process.env,
    stackEnvFile(process.cwd()),
  );
  // The identity library reads IDENTITY_ENDPOINT & co. from process.env itself.
  Object.assign(process.env, env);
  if (stackCertificate) trustCertificate(stackCertificate);

  const config = loadConfig(env, { storage: true });
  const { credential } = createCredential(config.identity);
  // The job's trace starts here: each message carries its `send` span's context, so the worker's
  // job, its model call and its result blob join this trace (`npm run traces -- <trace id>`).
  const telemetry = startTelemetry({
    serviceName: 'enqueue',
    settings: readTelemetrySettings(env),
    credential,
  });
  const queue = createQueueServiceClient(config, credential).getQueueClient(worker.queue);
  await queue.createIfNotExists();

  const ids: string[] = [];
  const traceIds: Array<string | undefined> = [];
  for (const id of jobIds) {
    const job = jobSource.withId(id);
    const traceId = await traceEnqueue(worker.queue, job, async (message) => {
      await queue.sendMessage(JSON.stringify(message));
      // traceparent = 00-<trace id>-<span id>-<flags>
      return message.traceparent?.split('-')[1];
    });
    ids.push(id);
    traceIds.push(traceId);
    console.log(id);
  }
  await telemetry.shutdown();
  const example = ids[0];
  const account = accountName(config.storage.blobEndpoint ?? config.storage.queueEndpoint ?? '');
  const service = worker.name === 'worker' ? '' : `--service ${worker.name} `;
  // The az command only makes sense for a real storage account, not for the local stack's Azurite.
  const inAzure = new URL(queue.url).hostname.endsWith('.core.windows.net');
  console.error(
    `\nEnqueued ${ids.length} job(s) on ${queue.url} (settings from ${source}).\n` +
      `Read the result:  npm run result -- ${service}${example}` +
      (telemetry.enabled && traceIds[0]
        ? `\nIts trace:        npm run traces -- ${traceIds[0]}`
        : '') +
      (inAzure
        ? `\nWith az:          az storage blob download --auth-mode login --account-name ${account} -c ${worker.resultsContainer} -n ${example}.json -f /dev/stdout`
        : ''),
  );
} catch (error) {
  if (error instanceof UnknownWorkerError) console.error(`${error.message}\nFix: ${error.fix}.`);
  else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))
    console.error(`${(error as Error).message}\n${usage}`);
  else console.error(isKeylessError(error) || error instanceof Error ? error.message : error);
  process.exit(1);
}
