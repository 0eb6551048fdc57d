import { randomUUID } from 'node:crypto';
import { choiceFilterResults, promptFilterResults } from './content-filter.ts';
import type { ChatMessage, ChatRequest } from './requests.ts';
import { countPromptTokens, splitTokens } from './tokenizer.ts';

export type FinishReason = 'stop' | 'length';

/** What the emulated model answers: its tokens in order, and why it stopped. */
export interface Completion {
  tokens: string[];
  text: string;
  finishReason: FinishReason;
  promptTokens: number;
  /** Tokens generated over all `n` choices. */
  completionTokens: number;
  choices: number;
}

export const greeting = 'Hello from the local Azure OpenAI emulator.';

export function messageText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content
    .map((part) => part.text ?? '')
    .filter((text) => text.length > 0)
    .join(' ');
}

/**
 * The deterministic reply: `You said: <last user message>` (or a greeting when there is none),
 * wrapped as `{"reply": ...}` when a JSON response format is asked for; cut before the first
 * `stop` sequence, then after `max_completion_tokens` / `max_tokens` tokens (`finish_reason: "length"`).
 */
export function complete(request: ChatRequest): Completion {
  const lastUser = request.messages.findLast((message) => message.role === 'user');
  const said = lastUser ? messageText(lastUser).trim() : '';
  const sentence = said ? `You said: ${said}` : greeting;
  const wantsJson =
    request.response_format?.type === 'json_object' ||
    request.response_format?.type === 'json_schema';
  let text = wantsJson ? JSON.stringify({ reply: sentence }) : sentence;

  const stops = typeof request.stop === 'string' ? [request.stop] : (request.stop ?? []);
  const cut = Math.min(
    ...stops.map((stop) => (stop ? text.indexOf(stop) : -1)).filter((index) => index >= 0),
  );
  if (Number.isFinite(cut)) text = text.slice(0, cut);

  let tokens = splitTokens(text);
  let finishReason: FinishReason = 'stop';
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null && tokens.length > maxTokens) {
    tokens = tokens.slice(0, maxTokens);
    finishReason = 'length';
  }
  const choices = request.n ?? 1;
  return {
    tokens,
    text: tokens.join(''),
    finishReason,
    promptTokens: countPromptTokens(request.messages.map(messageText)),
    completionTokens: tokens.length * choices,
    choices,
  };
}

export function completionId(): string {
  return `chatcmpl-${randomUUID().replaceAll('-', '')}`;
}

export function usage(completion: Completion): Record<string, unknown> {
  return {
    completion_tokens: completion.completionTokens,
    completion_tokens_details: {
      accepted_prediction_tokens: 0,
      audio_tokens: 0,
      reasoning_tokens: 0,
      rejected_prediction_tokens: 0,
    },
    prompt_tokens: completion.promptTokens,
    prompt_tokens_details: { audio_tokens: 0, cached_tokens: 0 },
    total_tokens: completion.promptTokens + completion.completionTokens,
  };
}

interface ResponseIdentity {
  id: string;
  created: number;
  model: string;
}

export const systemFingerprint = 'fp_local_emulator';

/** A `chat.completion` body, shaped as Azure returns it (content-filter annotations included). */
export function chatCompletionBody(
  completion: Completion,
  identity: ResponseIdentity,
): Record<string, unknown> {
  return {
    choices: Array.from({ length: completion.choices }, (_, index) => ({
      content_filter_results: choiceFilterResults(),
      finish_reason: completion.finishReason,
      index,
      logprobs: null,
      message: { annotations: [], content: completion.text, refusal: null, role: 'assistant' },
    })),
    created: identity.created,
    id: identity.id,
    model: identity.model,
    object: 'chat.completion',
    prompt_filter_results: promptFilterResults(),
    system_fingerprint: systemFingerprint,
    usage: usage(completion),
  };
}

/**
 * The `chat.completion.chunk`s of a streamed reply, in Azure's order: a leading chunk with empty
 * `choices` and the prompt's filter results, a role chunk, one chunk per token, a closing chunk
 * with `finish_reason`, and (with `stream_options.include_usage`) a usage chunk. Azure's leading
 * chunk leaves `id`/`model`/`object` empty; here they are filled in so every chunk validates
 * against the spec's `createChatCompletionStreamResponse`.
 */
export function* chatCompletionChunks(
  completion: Completion,
  identity: ResponseIdentity,
  includeUsage: boolean,
): Generator<{ chunk: Record<string, unknown>; isToken: boolean }> {
  const envelope = {
    created: identity.created,
    id: identity.id,
    model: identity.model,
    object: 'chat.completion.chunk',
    system_fingerprint: systemFingerprint,
    ...(includeUsage ? { usage: null } : {}),
  };
  const chunk = (choices: unknown[]): Record<string, unknown> => ({ ...envelope, choices });
  const choice = (index: number, delta: unknown, finishReason: FinishReason | null) => ({
    content_filter_results: finishReason || !delta ? {} : choiceFilterResults(),
    delta,
    finish_reason: finishReason,
    index,
    logprobs: null,
  });
  const indexes = Array.from({ length: completion.choices }, (_, index) => index);

  yield {
    chunk: { ...chunk([]), prompt_filter_results: promptFilterResults() },
    isToken: false,
  };
  yield {
    chunk: chunk(
      indexes.map((index) => ({
        ...choice(index, { content: '', refusal: null, role: 'assistant' }, null),
        content_filter_results: {},
      })),
    ),
    isToken: false,
  };
  for (const token of completion.tokens) {
    yield {
      chunk: chunk(indexes.map((index) => choice(index, { content: token }, null))),
      isToken: true,
    };
  }
  yield {
    chunk: chunk(indexes.map((index) => choice(index, {}, completion.finishReason))),
    isToken: false,
  };
  if (includeUsage) {
    yield { chunk: { ...chunk([]), usage: usage(completion) }, isToken: false };
  }
}
