import { traceModelCall } from '@keyless/telemetry';
import type OpenAI from 'openai';
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

type Answer = Omit<ChatResult, 'request'>;

interface CallOptions {
  signal: AbortSignal;
  headers: Record<string, string>;
}

/** The Responses API refuses a max_output_tokens below this. */
export const minOutputTokens = 16;

/**
 * The worker kind's default job: one answer from the chat deployment (AZURE_OPENAI_CHAT_DEPLOYMENT)
 * for `{ id, prompt | messages, maxTokens? }`. On the v1 API (the default) it asks the Responses
 * API; with AZURE_OPENAI_API_VERSION set (the dated API, which has no Responses) it asks chat
 * completions. The result has the same shape either way.
 */
export const chatJobHandler = defineJobHandler({
  schema: chatJobSchema,
  async handle(job, { openai, keyless, signal, attemptId }): Promise<ChatResult> {
    const model = keyless.openai.chatDeployment;
    // The attempt id ties the model endpoint's logs to this job.
    const options = { signal, headers: { 'x-ms-client-request-id': attemptId } };
    const answer = await traceModelCall(
      {
        operation: 'chat',
        apiType: keyless.openai.apiVersion === undefined ? 'responses' : 'chat_completions',
        deployment: model,
        endpoint: keyless.openai.endpoint,
        input: job.messages,
        ...(job.maxTokens === undefined ? {} : { maxTokens: job.maxTokens }),
      },
      () =>
        keyless.openai.apiVersion === undefined
          ? answerWithResponses(openai, model, job, options)
          : answerWithChatCompletions(openai, model, job, options),
      (result) => ({
        ...(result.usage
          ? { inputTokens: result.usage.promptTokens, outputTokens: result.usage.completionTokens }
          : {}),
        finishReasons: result.finishReason ? [result.finishReason] : [],
        responseModel: result.model,
        output: [result.answer],
      }),
    );
    return {
      request: {
        messages: job.messages,
        ...(job.maxTokens === undefined ? {} : { maxTokens: job.maxTokens }),
      },
      ...answer,
    };
  },
});

async function answerWithResponses(
  openai: OpenAI,
  model: string,
  job: ChatJob,
  options: CallOptions,
): Promise<Answer> {
  const response = await openai.responses.create(
    {
      model,
      input: job.messages.map(({ role, content }) => ({ type: 'message', role, content })),
      // A job is answered once; nothing needs to stay stored at the model endpoint.
      store: false,
      // max_output_tokens, never temperature: reasoning models refuse non-default sampling.
      ...(job.maxTokens === undefined
        ? {}
        : { max_output_tokens: Math.max(minOutputTokens, job.maxTokens) }),
    },
    options,
  );
  let content = '';
  for (const item of response.output) {
    if (item.type !== 'message') continue;
    for (const part of item.content) if (part.type === 'output_text') content += part.text;
  }
  const usage = response.usage;
  return {
    answer: { role: 'assistant', content },
    finishReason: finishReasonOf(response.status, response.incomplete_details?.reason),
    model: response.model,
    usage: usage
      ? {
          promptTokens: usage.input_tokens,
          completionTokens: usage.output_tokens,
          totalTokens: usage.total_tokens,
        }
      : null,
  };
}

/** A Responses outcome in chat completions' terms, so results keep one shape. */
export function finishReasonOf(
  status: string | undefined,
  incompleteReason: string | undefined,
): string | null {
  if (status === 'completed') return 'stop';
  if (status !== 'incomplete') return status ?? null;
  if (incompleteReason === 'max_output_tokens') return 'length';
  return incompleteReason ?? 'incomplete';
}

async function answerWithChatCompletions(
  openai: OpenAI,
  model: string,
  job: ChatJob,
  options: CallOptions,
): Promise<Answer> {
  const completion = await openai.chat.completions.create(
    {
      model,
      messages: job.messages,
      // max_completion_tokens, not the deprecated max_tokens, which reasoning models refuse.
      ...(job.maxTokens === undefined ? {} : { max_completion_tokens: job.maxTokens }),
    },
    options,
  );
  const choice = completion.choices[0];
  const usage = completion.usage;
  return {
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
}
