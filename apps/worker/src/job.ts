import { Buffer } from 'node:buffer';
import { z } from 'zod';

const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1).max(200_000),
});

/**
 * A job as producers put it on the queue. `id` becomes the blob name `results/<id>.json`, so it
 * is restricted to characters that are safe in a blob path and a log line.
 */
export const jobSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
      message: 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
    }),
    messages: z.array(chatMessageSchema).min(1).max(256).optional(),
    prompt: z.string().min(1).max(200_000).optional(),
    maxTokens: z.number().int().min(1).max(128_000).optional(),
  })
  .refine((job) => (job.messages === undefined) !== (job.prompt === undefined), {
    message: 'a job needs exactly one of `messages` or `prompt`',
    path: ['messages'],
  });

export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type JobInput = z.infer<typeof jobSchema>;

/** A validated job, with `prompt` already turned into a one-message conversation. */
export interface Job {
  id: string;
  messages: ChatMessage[];
  maxTokens?: number;
}

export type ParsedJob = { ok: true; job: Job } | { ok: false; reason: string };

function decodeJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // Tools such as `az storage message put` and Azure Functions base64-encode message text.
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text.trim())) return { ok: false };
    try {
      return {
        ok: true,
        value: JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as unknown,
      };
    } catch {
      return { ok: false };
    }
  }
}

/** Turns a queue message's text into a job, or the reason it can never become one. */
export function parseJob(text: string): ParsedJob {
  const decoded = decodeJson(text);
  if (!decoded.ok) {
    return { ok: false, reason: 'message is not JSON (nor base64-encoded JSON)' };
  }
  const parsed = jobSchema.safeParse(decoded.value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(message)'}: ${issue.message}`,
    );
    return { ok: false, reason: `message is not a valid job: ${problems.join('; ')}` };
  }
  const { id, messages, prompt, maxTokens } = parsed.data;
  return {
    ok: true,
    job: {
      id,
      messages: messages ?? [{ role: 'user', content: prompt ?? '' }],
      ...(maxTokens === undefined ? {} : { maxTokens }),
    },
  };
}

/** Best-effort id of a message that failed validation, so the poison entry can name it. */
export function guessJobId(text: string): string | undefined {
  const decoded = decodeJson(text);
  if (!decoded.ok || typeof decoded.value !== 'object' || decoded.value === null) return undefined;
  const id = (decoded.value as { id?: unknown }).id;
  return typeof id === 'string' ? id.slice(0, 128) : undefined;
}
