/**
 * A span and the GenAI metrics for each model call, following OpenTelemetry's GenAI semantic
 * conventions: operation, deployment as the model, token usage, finish reasons. Prompt and
 * completion text are recorded only when `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`.
 */
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { azureOpenAIProvider, genAi } from './gen-ai-conventions.ts';
import { instrumentationScope, telemetryState } from './instruments.ts';

export interface ModelCall {
  /** `chat`, `embeddings`, `text_completion`, `generate_content`... (`gen_ai.operation.name`). */
  operation: string;
  /** Which OpenAI API served a `chat` (`openai.api.type`): the conventions' only way to tell them apart. */
  apiType?: 'chat_completions' | 'responses';
  /** The Azure OpenAI deployment (`gen_ai.request.model`). */
  deployment: string;
  /** The endpoint, for `server.address`/`server.port`. */
  endpoint?: string;
  maxTokens?: number;
  /** The messages sent; recorded only when content capture is on. */
  input?: unknown;
}

/** What a model call returned, as far as telemetry cares. */
export interface ModelCallOutcome {
  inputTokens?: number;
  outputTokens?: number;
  finishReasons?: string[];
  responseId?: string;
  responseModel?: string;
  /** The completion; recorded only when content capture is on. */
  output?: unknown;
}

export interface ModelCallSpan {
  readonly span: Span;
  /** Ends the span with what the call returned and records the metrics. */
  end(outcome: ModelCallOutcome): void;
  /** Ends the span as failed. */
  fail(error: unknown): void;
}

function serverAttributes(endpoint: string | undefined): Attributes {
  if (!endpoint || !URL.canParse(endpoint)) return {};
  const url = new URL(endpoint);
  const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
  return { [genAi.serverAddress]: url.hostname, [genAi.serverPort]: port };
}

/** Starts a model-call span by hand, for streamed responses; `traceModelCall` is simpler. */
export function startModelCall(call: ModelCall): ModelCallSpan {
  const state = telemetryState();
  const started = performance.now();
  const common: Attributes = {
    [genAi.operationName]: call.operation,
    [genAi.providerName]: azureOpenAIProvider,
    [genAi.requestModel]: call.deployment,
    ...serverAttributes(call.endpoint),
  };
  const span = trace
    .getTracer(instrumentationScope)
    .startSpan(`${call.operation} ${call.deployment}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        ...common,
        ...(call.maxTokens === undefined ? {} : { [genAi.requestMaxTokens]: call.maxTokens }),
        ...(call.apiType === undefined ? {} : { [genAi.openaiApiType]: call.apiType }),
        ...(state.captureMessageContent && call.input !== undefined
          ? { [genAi.inputMessages]: JSON.stringify(call.input) }
          : {}),
      },
    });
  let ended = false;
  const duration = (extra: Attributes): void => {
    state.instruments.modelCallDuration.record((performance.now() - started) / 1000, {
      ...common,
      ...extra,
    });
  };
  return {
    span,
    end(outcome) {
      if (ended) return;
      ended = true;
      const attributes: Attributes = {};
      if (outcome.inputTokens !== undefined)
        attributes[genAi.usageInputTokens] = outcome.inputTokens;
      if (outcome.outputTokens !== undefined)
        attributes[genAi.usageOutputTokens] = outcome.outputTokens;
      if (outcome.finishReasons?.length)
        attributes[genAi.responseFinishReasons] = outcome.finishReasons;
      if (outcome.responseId) attributes[genAi.responseId] = outcome.responseId;
      if (outcome.responseModel) attributes[genAi.responseModel] = outcome.responseModel;
      if (state.captureMessageContent && outcome.output !== undefined) {
        attributes[genAi.outputMessages] = JSON.stringify(outcome.output);
      }
      span.setAttributes(attributes);
      span.end();
      const metricAttributes = outcome.responseModel
        ? { [genAi.responseModel]: outcome.responseModel }
        : {};
      duration(metricAttributes);
      for (const [type, count] of [
        ['input', outcome.inputTokens],
        ['output', outcome.outputTokens],
      ] as const) {
        if (count !== undefined) {
          state.instruments.modelTokenUsage.record(count, {
            ...common,
            ...metricAttributes,
            [genAi.tokenType]: type,
          });
        }
      }
    },
    fail(error) {
      if (ended) return;
      ended = true;
      const errorType = errorTypeOf(error);
      // The error's name and status only: an SDK error's message can quote the request.
      span.setAttribute(genAi.errorType, errorType);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
      span.end();
      duration({ [genAi.errorType]: errorType });
    },
  };
}

function errorTypeOf(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  if (typeof status === 'number') return String(status);
  if (error instanceof Error) return error.name;
  return '_OTHER';
}

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
}

/**
 * Reads the outcome from an `openai` SDK result: a chat completion, a Responses API response or
 * an embeddings response.
 */
export function outcomeOf(result: unknown): ModelCallOutcome {
  if (typeof result !== 'object' || result === null) return {};
  const value = result as {
    id?: unknown;
    model?: unknown;
    usage?: Usage | null;
    status?: unknown;
    choices?: Array<{ finish_reason?: string | null; message?: unknown }>;
    output?: unknown;
  };
  const usage = value.usage ?? {};
  const choices = Array.isArray(value.choices) ? value.choices : undefined;
  return {
    inputTokens: usage.input_tokens ?? usage.prompt_tokens,
    outputTokens: usage.output_tokens ?? usage.completion_tokens,
    finishReasons: choices
      ? choices.flatMap((choice) => (choice.finish_reason ? [choice.finish_reason] : []))
      : typeof value.status === 'string'
        ? [value.status]
        : undefined,
    responseId: typeof value.id === 'string' ? value.id : undefined,
    responseModel: typeof value.model === 'string' ? value.model : undefined,
    output: choices ? choices.map((choice) => choice.message) : value.output,
  };
}

/**
 * Runs `call` (an `openai` SDK call) inside a model-call span: the span is current while it
 * runs, ends with the usage and finish reasons of its result, or fails with its error.
 */
export async function traceModelCall<T>(
  call: ModelCall,
  run: () => Promise<T>,
  describe: (result: T) => ModelCallOutcome = outcomeOf,
): Promise<T> {
  const handle = startModelCall(call);
  try {
    const result = await context.with(trace.setSpan(context.active(), handle.span), run);
    handle.end(describe(result));
    return result;
  } catch (error) {
    handle.fail(error);
    throw error;
  }
}
