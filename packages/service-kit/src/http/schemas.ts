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

const conversationMessage = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant']),
  content: z.string().max(200_000),
});

const promptInput = z.string().min(1, 'must not be empty').max(200_000);
const conversationInput = z
  .array(conversationMessage)
  .min(1, 'must hold at least one message')
  .max(1024);

/**
 * A prompt, or the conversation sent back. Checked as the one its type says (not as a union) so
 * that a bad message is named by its own path (`input[0].role`), not as "matches neither".
 */
const responsesInput = z
  .unknown()
  .transform((value, context): z.infer<typeof promptInput> | z.infer<typeof conversationInput> => {
    if (typeof value !== 'string' && !Array.isArray(value)) {
      context.addIssue({
        code: 'custom',
        message: 'must be a prompt (a string) or the conversation (an array of messages)',
      });
      return z.NEVER;
    }
    const parsed = (Array.isArray(value) ? conversationInput : promptInput).safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
    return z.NEVER;
  });

/** POST /api/responses: a prompt or a conversation, optionally continuing a stored response. */
export const responsesRequest = z.object({
  input: responsesInput,
  instructions: z.string().min(1).max(200_000).optional(),
  previousResponseId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be a responseId this service returned')
    .optional(),
  stream: z.boolean().optional(),
  // The Responses API refuses fewer than 16.
  maxOutputTokens: z.number().int().min(16).max(128_000).optional(),
});

export type ResponsesRequest = z.infer<typeof responsesRequest>;
