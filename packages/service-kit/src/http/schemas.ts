/**
 * The request bodies of the api kind's chat and embeddings routes. Unknown members are dropped, so nothing the caller adds
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
