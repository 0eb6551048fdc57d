import { randomBytes } from 'node:crypto';
import { answer, type OutputFormat, type ToolChoice, type Turn } from './answer.ts';
import { invalidRequest, type EmulatorErrorResponse } from './errors.ts';
import type { StoredResponse } from './response-store.ts';
import type { InputItem, ResponsesRequest } from './responses-request.ts';
import { countPromptTokens, splitTokens } from './tokenizer.ts';

type Item = Record<string, unknown>;

/** A response the emulated model produced: its final body, its tokens (for latency and streaming), and the conversation to store. */
export interface ModelResponse {
  body: Record<string, unknown>;
  /** The generated tokens: of the message text, or of a function call's arguments. */
  tokens: string[];
  /** The conversation so far, this response's output included (what `previous_response_id` continues). */
  conversation: Item[];
  inputTokens: number;
  outputTokens: number;
}

/** Azure-style ids: a prefix and 48 hex digits. */
export function itemId(prefix: 'resp' | 'msg' | 'fc' | 'call'): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}

/**
 * Runs one Responses turn: the stored conversation of `previous_response_id` (if any), then this
 * request's input, answered by the deterministic model of `answer`.
 */
export function respond(
  request: ResponsesRequest,
  previous: StoredResponse | undefined,
  model: string,
): { ok: true; response: ModelResponse } | { ok: false; error: EmulatorErrorResponse } {
  const input = inputItems(request.input);
  const conversation = [...(previous?.conversation ?? []), ...input];
  const dangling = input.find(
    (item) =>
      item.type === 'function_call_output' &&
      findCall(conversation, String(item.call_id)) === undefined,
  );
  if (dangling) {
    return {
      ok: false,
      error: invalidRequest(
        `No tool call found for function call output with call_id ${String(dangling.call_id)}. Send the function_call item in input too, or continue the response that made the call with previous_response_id.`,
        'input',
      ),
    };
  }

  const move = answer(turnOf(request, conversation));
  const inputTokens = countPromptTokens([
    ...(request.instructions ? [request.instructions] : []),
    ...conversation.map(itemText),
  ]);
  let tokens: string[];
  let output: Item;
  let incomplete = false;
  if (move.kind === 'call') {
    tokens = splitTokens(move.arguments);
    output = {
      id: itemId('fc'),
      type: 'function_call',
      status: 'completed',
      arguments: move.arguments,
      call_id: itemId('call'),
      name: move.name,
    };
  } else {
    tokens = splitTokens(move.text);
    const max = request.max_output_tokens;
    if (max != null && tokens.length > max) {
      tokens = tokens.slice(0, max);
      incomplete = true;
    }
    output = {
      id: itemId('msg'),
      type: 'message',
      status: incomplete ? 'incomplete' : 'completed',
      content: [{ type: 'output_text', annotations: [], logprobs: [], text: tokens.join('') }],
      role: 'assistant',
    };
  }
  const createdAt = Math.floor(Date.now() / 1000);
  const body = responseBody(request, {
    id: itemId('resp'),
    createdAt,
    model,
    status: incomplete ? 'incomplete' : 'completed',
    output: [output],
    usage: usage(inputTokens, tokens.length),
  });
  return {
    ok: true,
    response: {
      body,
      tokens,
      conversation: [...conversation, output],
      inputTokens,
      outputTokens: tokens.length,
    },
  };
}

/** The response object as Azure returns it: every field the spec requires, echoing the request's settings. */
export function responseBody(
  request: ResponsesRequest,
  state: {
    id: string;
    createdAt: number;
    model: string;
    status: 'in_progress' | 'completed' | 'incomplete';
    output: Item[];
    usage: Record<string, unknown> | null;
  },
): Record<string, unknown> {
  const choice = request.tool_choice ?? 'auto';
  return {
    id: state.id,
    object: 'response',
    created_at: state.createdAt,
    status: state.status,
    background: false,
    completed_at: state.status === 'completed' ? state.createdAt : null,
    error: null,
    incomplete_details: state.status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    metadata: request.metadata ?? {},
    model: state.model,
    output: state.output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format: request.text?.format ?? { type: 'text' } },
    tool_choice: choice,
    tools: (request.tools ?? []).map((tool) =>
      tool.type === 'function' ? { strict: true, parameters: null, ...tool } : tool,
    ),
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    usage: state.usage,
    ...(request.user ? { user: request.user } : {}),
  };
}

function usage(inputTokens: number, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + outputTokens,
  };
}

/** A string input is one user message; items keep their own shape. */
function inputItems(input: ResponsesRequest['input']): Item[] {
  if (input === undefined) return [];
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return input.map((item: InputItem): Item => ({ type: 'message', ...item }));
}

function findCall(conversation: readonly Item[], callId: string): Item | undefined {
  return conversation.find((item) => item.type === 'function_call' && item.call_id === callId);
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { text?: unknown }) => (typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text.length > 0)
    .join(' ');
}

function itemText(item: Item): string {
  if (item.type === 'message') return contentText(item.content);
  if (item.type === 'function_call')
    return typeof item.arguments === 'string' ? item.arguments : '';
  if (item.type === 'function_call_output') return contentText(item.output);
  return '';
}

function turnOf(request: ResponsesRequest, conversation: readonly Item[]): Turn {
  const lastUser = conversation.findLast((item) => item.type === 'message' && item.role === 'user');
  const last = conversation.at(-1);
  let toolResult: Turn['toolResult'];
  if (last?.type === 'function_call_output') {
    const call = findCall(conversation, String(last.call_id));
    const name = typeof call?.name === 'string' ? call.name : 'tool';
    toolResult = { name, output: contentText(last.output) };
  }
  return {
    said: lastUser ? contentText(lastUser.content).trim() : '',
    ...(toolResult ? { toolResult } : {}),
    functions: (request.tools ?? []).flatMap((tool) =>
      tool.type === 'function' && typeof tool.name === 'string'
        ? [{ name: tool.name, parameters: tool.parameters ?? undefined }]
        : [],
    ),
    toolChoice: toolChoiceOf(request.tool_choice),
    format: formatOf(request.text?.format),
  };
}

function toolChoiceOf(choice: ResponsesRequest['tool_choice']): ToolChoice {
  if (choice == null) return 'auto';
  if (typeof choice === 'string') return choice;
  if (choice.type === 'function' && typeof choice.name === 'string') return { name: choice.name };
  return 'auto';
}

function formatOf(format: NonNullable<ResponsesRequest['text']>['format']): OutputFormat {
  if (format?.type === 'json_schema') return { type: 'json_schema', schema: format.schema };
  if (format?.type === 'json_object') return { type: 'json_object' };
  return { type: 'text' };
}
