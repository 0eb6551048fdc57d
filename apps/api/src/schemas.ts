/**
 * The request bodies the api accepts. Unknown members are dropped, so nothing the caller adds
 * (`__proto__`, `constructor`, extra options) reaches the model call.
 */
import { z } from 'zod';

const message = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});

export const chatRequest = z.object({
  messages: z.array(message).min(1, 'must hold at least one message').max(1024),
  stream: z.boolean().optional(),
  maxTokens: z.number().int().min(1).max(128_000).optional(),
});

export type ChatRequest = z.infer<typeof chatRequest>;

export const embeddingsRequest = z.object({
  input: z.union([
    z.string().min(1),
    // Azure OpenAI's limit on inputs per embeddings call.
    z.array(z.string().min(1)).min(1).max(2048),
  ]),
});

export type EmbeddingsRequest = z.infer<typeof embeddingsRequest>;

/** `messages[0].content` style paths, the way a client developer would write them. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let result = '';
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else result += result === '' ? String(segment) : `.${String(segment)}`;
  }
  return result === '' ? '(body)' : result;
}
