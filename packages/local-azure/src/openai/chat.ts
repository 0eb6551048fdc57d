import { randomUUID } from 'node:crypto';
import { choiceFilterResults, promptFilterResults } from './content-filter.ts';
import { answer, type FunctionTool, type Turn } from './answer.ts';
import type { ChatMessage, ChatRequest } from './requests.ts';
import { countPromptTokens, splitTokens } from './tokenizer.ts';

export type FinishReason = 'stop' | 'length' | 'tool_calls';

/** A function call the emulated model makes instead of answering. */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** What the emulated model answers: its tokens in order (or a function call), and why it stopped. */
export interface Completion {
  tokens: string[];
  text: string;
  toolCall?: ToolCall;
  finishReason: FinishReason;
  promptTokens: number;
  /** Tokens generated over all `n` choices. */
  completionTokens: number;
  choices: number;
}

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
 * The deterministic reply (see `answer`): a function call when the last user message names a
 * declared function, the function's result after a `tool` message, otherwise `You said: <last
 * user message>`; cut before the first `stop` sequence, then after `max_completion_tokens` /
 * `max_tokens` tokens (`finish_reason: "length"`).
 */
export function complete(request: ChatRequest): Completion {
  const move = answer(turnOf(request));
  const choices = request.n ?? 1;
  const promptTokens = countPromptTokens(request.messages.map(messageText));
  if (move.kind === 'call') {
    const tokens = splitTokens(move.arguments);
    return {
      tokens,
      text: '',
      toolCall: { id: toolCallId(), name: move.name, arguments: move.arguments },
      finishReason: 'tool_calls',
      promptTokens,
      completionTokens: tokens.length * choices,
      choices,
    };
  }
  let text = move.text;
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
  return {
    tokens,
    text: tokens.join(''),
    finishReason,
    promptTokens,
    completionTokens: tokens.length * choices,
    choices,
  };
}

function turnOf(request: ChatRequest): Turn {
  const { messages } = request;
  const lastUser = messages.findLast((message) => message.role === 'user');
  const last = messages.at(-1);
  let toolResult: Turn['toolResult'];
  if (last?.role === 'tool') {
    const call = messages
      .flatMap((message) => message.tool_calls ?? [])
      .find((candidate) => candidate.id === last.tool_call_id);
    toolResult = { name: call?.function.name ?? 'tool', output: messageText(last) };
  }
  const choice = request.tool_choice ?? 'auto';
  const format = request.response_format;
  return {
    said: lastUser ? messageText(lastUser).trim() : '',
    ...(toolResult ? { toolResult } : {}),
    functions: (request.tools ?? []).flatMap((tool) =>
      tool.type === 'function' && tool.function ? [tool.function satisfies FunctionTool] : [],
    ),
    toolChoice: typeof choice === 'string' ? choice : { name: choice.function.name },
    format:
      format?.type === 'json_schema'
        ? { type: 'json_schema', schema: format.json_schema.schema ?? {} }
        : format?.type === 'json_object'
          ? { type: 'json_object' }
          : { type: 'text' },
  };
}

function toolCallId(): string {
  return `call_${randomUUID().replaceAll('-', '').slice(0, 24)}`;
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
      message: completion.toolCall
        ? {
            annotations: [],
            content: null,
            refusal: null,
            role: 'assistant',
            tool_calls: [
              {
                function: {
                  arguments: completion.toolCall.arguments,
                  name: completion.toolCall.name,
                },
                id: completion.toolCall.id,
                type: 'function',
              },
            ],
          }
        : { annotations: [], content: completion.text, refusal: null, role: 'assistant' },
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
  const { toolCall } = completion;
  if (toolCall) {
    // OpenAI's order: the call's id and name with empty arguments, then the arguments in pieces.
    const call = {
      id: toolCall.id,
      type: 'function',
      function: { name: toolCall.name, arguments: '' },
    };
    yield {
      chunk: chunk(
        indexes.map((index) => choice(index, { tool_calls: [{ index: 0, ...call }] }, null)),
      ),
      isToken: false,
    };
  }
  for (const token of completion.tokens) {
    const delta = toolCall
      ? { tool_calls: [{ index: 0, function: { arguments: token } }] }
      : { content: token };
    yield {
      chunk: chunk(indexes.map((index) => choice(index, delta, null))),
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
