import { z } from 'zod';
import { jobIdSchema } from './message.ts';

const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1).max(200_000),
});

export type ChatMessage = z.infer<typeof chatMessageSchema>;

/** A validated chat job, with `prompt` already turned into a one-message conversation. */
export interface ChatJob {
  id: string;
  messages: ChatMessage[];
  maxTokens?: number;
}

/**
 * A chat job as producers put it on the queue: `{ id, prompt }` or `{ id, messages, maxTokens? }`
 * (exactly one of `prompt` or `messages`).
 */
export const chatJobSchema: z.ZodType<ChatJob> = z
  .object({
    id: jobIdSchema,
    messages: z.array(chatMessageSchema).min(1).max(256).optional(),
    prompt: z.string().min(1).max(200_000).optional(),
    maxTokens: z.number().int().min(1).max(128_000).optional(),
  })
  .refine((job) => (job.messages === undefined) !== (job.prompt === undefined), {
    message: 'a job needs exactly one of `messages` or `prompt`',
    path: ['messages'],
  })
  .transform(({ id, messages, prompt, maxTokens }) => ({
    id,
    messages: messages ?? [{ role: 'user' as const, content: prompt ?? '' }],
    ...(maxTokens === undefined ? {} : { maxTokens }),
  }));
