import { traceModelCall } from '@keyless/telemetry';
import type { ChatJob } from './chat-job.ts';
import { chatJobSchema } from './chat-job.ts';
import { defineJobHandler } from './handler.ts';

/** What a chat job's result holds, next to the `id`, `timings`, `attempt` and `messageId` the kit adds. */
export interface ChatResult {
  request: { messages: ChatJob['messages']; maxTokens?: number };
  answer: { role: 'assistant'; content: string };
  finishReason: string | null;
  model: string;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number } | null;
}

/**
 * The worker kind's default job: one chat completion from the chat deployment
 * (AZURE_OPENAI_CHAT_DEPLOYMENT) for `{ id, prompt | messages, maxTokens? }`.
 */
export const chatJobHandler = defineJobHandler({
  schema: chatJobSchema,
  async handle(job, { openai, keyless, signal, attemptId }): Promise<ChatResult> {
    const model = keyless.openai.chatDeployment;
    const completion = await traceModelCall(
      {
        operation: 'chat',
        deployment: model,
        endpoint: keyless.openai.endpoint,
        input: job.messages,
        ...(job.maxTokens === undefined ? {} : { maxTokens: job.maxTokens }),
      },
      () =>
        openai.chat.completions.create(
          {
            model,
            messages: job.messages,
            ...(job.maxTokens === undefined ? {} : { max_completion_tokens: job.maxTokens }),
          },
          // The attempt id ties the model endpoint's logs to this job.
          { signal, headers: { 'x-ms-client-request-id': attemptId } },
        ),
    );
    const choice = completion.choices[0];
    const usage = completion.usage;
    return {
      request: {
        messages: job.messages,
        ...(job.maxTokens === undefined ? {} : { maxTokens: job.maxTokens }),
      },
      answer: { role: 'assistant', content: choice?.message.content ?? '' },
      finishReason: choice?.finish_reason ?? null,
      model: completion.model,
      usage: usage
        ? {
            promptTokens: usage.prompt_tokens,
            completionTokens: usage.completion_tokens,
            totalTokens: usage.total_tokens,
          }
        : null,
    };
  },
});
