import type { createOpenAIClient } from '@keyless/auth';
import type { Job } from './job.ts';

export type OpenAIClient = ReturnType<typeof createOpenAIClient>;

export interface ChatAnswer {
  content: string;
  finishReason: string | null;
  model: string;
  usage: { promptTokens: number; completionTokens: number; totalTokens: number } | null;
}

/** One chat completion for a job; `deployment` is the model name on Azure OpenAI. */
export async function completeJob(
  openai: OpenAIClient,
  deployment: string,
  job: Job,
  options: { signal: AbortSignal; requestId: string },
): Promise<ChatAnswer> {
  const completion = await openai.chat.completions.create(
    {
      model: deployment,
      messages: job.messages,
      ...(job.maxTokens === undefined ? {} : { max_completion_tokens: job.maxTokens }),
    },
    {
      signal: options.signal,
      // Ties the model endpoint's logs to this job.
      headers: { 'x-ms-client-request-id': options.requestId },
    },
  );
  const choice = completion.choices[0];
  const usage = completion.usage;
  return {
    content: choice?.message.content ?? '',
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
}
