/**
 * POST /api/responses: chat on the Responses API (the v1 API's recommended one), as JSON or, with
 * `stream: true`, as server-sent events. Multi-turn either way Responses offers it: pass the
 * `responseId` of the last answer back as `previousResponseId` (the model endpoint keeps the
 * conversation), or send the whole conversation as `input`. The model may call the kit's example
 * tool (`calculate`); the service runs it and feeds the result back with `function_call_output`
 * until the model answers in text. Each model call gets its own GenAI span (`chat <deployment>`, the
 * operation the GenAI conventions name for the Responses API too), so a tool round trip shows as
 * two spans under the request's.
 */
import { Router } from 'express';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '@keyless/logging';
import { outcomeOf, startModelCall, traceModelCall } from '@keyless/telemetry';
import type { ModelCall, ModelCallSpan } from '@keyless/telemetry';
import type OpenAI from 'openai';
import type {
  Response as ModelResponse,
  ResponseCreateParamsBase,
  ResponseFunctionToolCall,
  ResponseInputItem,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import { parseBody } from '../body.ts';
import type { HttpServiceConfig } from '../config.ts';
import type { RouteFactory } from '../context.ts';
import { methodNotAllowed } from '../error-handler.ts';
import { ProblemError, problemTypes } from '../problem.ts';
import { responsesRequest } from '../schemas.ts';
import type { ResponsesRequest } from '../schemas.ts';
import { sendEvent, startEventStream } from '../sse.ts';
import { endStreamWithProblem, idleTimeout } from '../stream-support.ts';
import { calculatorTool } from '../tools/calculator.ts';
import { runServerTool } from '../tools/server-tool.ts';
import type { ServerTool } from '../tools/server-tool.ts';
import { upstreamCall } from '../upstream-call.ts';
import type { UpstreamCall } from '../upstream-call.ts';
import { UpstreamTimeoutError } from '../upstream-errors.ts';
import type { UpstreamContext } from '../upstream-errors.ts';

/** The tools the model may call; each runs in this process, with no I/O. */
const tools: readonly ServerTool[] = [calculatorTool];

/** Tool rounds before the model is told to answer without tools (a model that loops stops here). */
const maxToolRounds = 4;

export interface ToolCallRecord {
  name: string;
  /** The arguments as the model sent them (JSON text). */
  arguments: string;
  /** What the tool returned to the model (JSON text). */
  output: string;
}

export interface ResponsesUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export const responsesRoutes: RouteFactory = ({ config, clients, upstream, jsonBody }) => {
  const { openai } = clients;
  const router = Router();
  router.post('/api/responses', requireV1Api(config), jsonBody, async (req, res) => {
    const body = parseBody(responsesRequest, req.body);
    const call = upstreamCall(res, config);
    const turn = new Turn(body, config);
    if (body.stream) {
      await streamResponses({ openai, config, upstream, turn, call, res, log: req.log });
      return;
    }
    const create = (params: ResponseCreateParamsBase) =>
      traceModelCall(modelCall(params, config), () =>
        openai.responses.create({ ...params, stream: false }, call.options),
      );
    let response = await create(turn.firstParams());
    turn.count(response);
    for (let calls = functionCalls(response); calls.length > 0; calls = functionCalls(response)) {
      const outputs = turn.runTools(calls);
      response = await create(turn.followUpParams(response.id, outputs));
      turn.count(response);
    }
    res.json({
      responseId: response.id,
      ...turn.outcome(response),
      message: { role: 'assistant', content: outputText(response) },
      toolCalls: turn.toolCalls,
      usage: turn.usage,
    });
  });
  router.all('/api/responses', methodNotAllowed('POST'));
  return router;
};

/**
 * What one model call's span records: the operation is `chat`, as the GenAI conventions name a
 * Responses API call; the input (the caller's text, or the tool outputs) only with content capture.
 */
function modelCall(params: ResponseCreateParamsBase, config: HttpServiceConfig): ModelCall {
  return {
    operation: 'chat',
    apiType: 'responses',
    deployment: config.keyless.openai.chatDeployment,
    endpoint: config.keyless.openai.endpoint,
    input: params.input,
    ...(params.max_output_tokens ? { maxTokens: params.max_output_tokens } : {}),
  };
}

/** The dated API (AZURE_OPENAI_API_VERSION set) has no Responses; /api/chat serves it instead. */
function requireV1Api(config: HttpServiceConfig): RequestHandler {
  return (_req, _res, next) => {
    if (config.keyless.openai.apiVersion === undefined) return next();
    next(
      new ProblemError({
        type: problemTypes.notConfigured,
        title: 'The Responses API needs the v1 API',
        status: 501,
        detail: `AZURE_OPENAI_API_VERSION is set (${config.keyless.openai.apiVersion}), which selects the dated API without Responses. Unset it to use the v1 API (the default) and restart the service, or use POST /api/chat, which serves chat completions on either API.`,
      }),
    );
  };
}

/** One caller's request across its model calls: the parameters, the tool calls, the usage. */
class Turn {
  readonly toolCalls: ToolCallRecord[] = [];
  readonly usage: ResponsesUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  private rounds = 0;

  private readonly body: ResponsesRequest;
  private readonly config: HttpServiceConfig;

  constructor(body: ResponsesRequest, config: HttpServiceConfig) {
    this.body = body;
    this.config = config;
  }

  firstParams(): ResponseCreateParamsBase {
    return {
      ...this.common(),
      input:
        typeof this.body.input === 'string'
          ? this.body.input
          : this.body.input.map(({ role, content }) => ({ type: 'message', role, content })),
      ...(this.body.previousResponseId === undefined
        ? {}
        : { previous_response_id: this.body.previousResponseId }),
    };
  }

  /** The next call after tool outputs: the stored response carries the conversation so far. */
  followUpParams(
    previousResponseId: string,
    outputs: ResponseInputItem[],
  ): ResponseCreateParamsBase {
    this.rounds += 1;
    return {
      ...this.common(),
      previous_response_id: previousResponseId,
      input: outputs,
      ...(this.rounds >= maxToolRounds ? { tool_choice: 'none' as const } : {}),
    };
  }

  runTools(calls: ResponseFunctionToolCall[]): ResponseInputItem[] {
    return calls.map((call) => {
      const output = runServerTool(tools, call.name, call.arguments);
      this.toolCalls.push({ name: call.name, arguments: call.arguments, output });
      return { type: 'function_call_output', call_id: call.call_id, output };
    });
  }

  count(response: ModelResponse): void {
    if (!response.usage) return;
    this.usage.inputTokens += response.usage.input_tokens;
    this.usage.outputTokens += response.usage.output_tokens;
    this.usage.totalTokens += response.usage.total_tokens;
  }

  outcome(response: ModelResponse): { status: string; incompleteReason: string | null } {
    return {
      status: response.status ?? 'completed',
      incompleteReason: response.incomplete_details?.reason ?? null,
    };
  }

  private common(): ResponseCreateParamsBase {
    return {
      model: this.config.keyless.openai.chatDeployment,
      // Instructions do not carry over with previous_response_id, so every call sends them.
      ...(this.body.instructions === undefined ? {} : { instructions: this.body.instructions }),
      // max_output_tokens, never temperature: reasoning models refuse non-default sampling.
      ...(this.body.maxOutputTokens === undefined
        ? {}
        : { max_output_tokens: this.body.maxOutputTokens }),
      tools: tools.map((tool) => tool.definition),
      // Stored, so that the tool round trip and the caller's next turn can name this response.
      store: true,
    };
  }
}

function functionCalls(response: ModelResponse): ResponseFunctionToolCall[] {
  return response.output.filter(
    (item): item is ResponseFunctionToolCall => item.type === 'function_call',
  );
}

/** The assistant's text: every output_text part of every message, in order. */
function outputText(response: ModelResponse): string {
  let text = '';
  for (const item of response.output) {
    if (item.type !== 'message') continue;
    for (const part of item.content) if (part.type === 'output_text') text += part.text;
  }
  return text;
}

interface StreamResponses {
  openai: OpenAI;
  config: HttpServiceConfig;
  upstream: UpstreamContext;
  turn: Turn;
  call: UpstreamCall;
  res: Response;
  log: Logger;
}

/**
 * Text deltas as `data: {"delta": ...}`, each tool call the service ran as `event: tool`, then
 * `event: done` with the responseId, status and usage (or `event: error` with a problem).
 */
async function streamResponses({
  openai,
  config,
  upstream,
  turn,
  call,
  res,
  log,
}: StreamResponses): Promise<void> {
  // Errors before the first byte (throttled, refused, timeout) still get a proper status code.
  let round = await modelRound(openai, config, call, turn.firstParams());
  startEventStream(res);
  let failure: unknown;
  let response: ModelResponse | undefined;
  try {
    for (;;) {
      response = await relayRound(round.stream, res, config, call);
      round.span.end(outcomeOf(response));
      turn.count(response);
      const calls = functionCalls(response);
      if (calls.length === 0) break;
      const outputs = turn.runTools(calls);
      for (const record of turn.toolCalls.slice(-calls.length))
        await sendEvent(res, record, 'tool');
      round = await modelRound(openai, config, call, turn.followUpParams(response.id, outputs));
    }
  } catch (error) {
    failure = error;
  }
  const reason: unknown = call.controller.signal.reason;
  if (reason instanceof UpstreamTimeoutError) failure = reason;
  // A span already ended with its response stays as it was; only the call in flight fails.
  if (call.clientGone() || failure !== undefined) round.span.fail(failure ?? reason);
  if (call.clientGone()) {
    log.info('client disconnected; the model call was aborted');
    res.end();
    return;
  }
  if (failure === undefined && response) {
    await sendEvent(
      res,
      { responseId: response.id, ...turn.outcome(response), usage: turn.usage },
      'done',
    );
    res.end();
    return;
  }
  await endStreamWithProblem(res, failure, upstream, log);
}

type ResponseStream = AsyncIterable<ResponseStreamEvent>;

/** One streamed model call and its span; a call refused before its stream starts fails the span. */
async function modelRound(
  openai: OpenAI,
  config: HttpServiceConfig,
  call: UpstreamCall,
  params: ResponseCreateParamsBase,
): Promise<{ span: ModelCallSpan; stream: ResponseStream }> {
  const span = startModelCall(modelCall(params, config));
  try {
    return {
      span,
      stream: await openai.responses.create({ ...params, stream: true }, call.options),
    };
  } catch (error) {
    span.fail(error);
    throw error;
  }
}

/** Relays one model stream's text deltas; resolves with its final response. */
async function relayRound(
  stream: ResponseStream,
  res: Response,
  config: HttpServiceConfig,
  call: UpstreamCall,
): Promise<ModelResponse> {
  const idle = idleTimeout(config.keyless.openai.timeoutMs, () =>
    call.controller.abort(new UpstreamTimeoutError('The model stream stalled.')),
  );
  let final: ModelResponse | undefined;
  try {
    // The SDK ends the iteration quietly when the signal aborts; the caller reads the signal.
    for await (const event of stream) {
      idle.reset();
      if (event.type === 'response.output_text.delta') {
        if (event.delta) await sendEvent(res, { delta: event.delta });
      } else if (event.type === 'response.completed' || event.type === 'response.incomplete') {
        final = event.response;
      } else if (event.type === 'response.failed') {
        throw new StreamFailedError(event.response.error?.message ?? 'The model response failed.');
      } else if (event.type === 'error') {
        throw new StreamFailedError(event.message);
      }
    }
  } finally {
    idle.clear();
  }
  if (!final) throw new StreamFailedError('The model stream ended without a final response.');
  return final;
}

/** The model reported a failure inside the stream (mapped to a 502 upstream-failed problem). */
class StreamFailedError extends Error {
  override readonly name = 'StreamFailedError';
}
