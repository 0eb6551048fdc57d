/**
 * POST /api/chat: one chat completion from the configured deployment, as JSON or, with
 * `stream: true`, as server-sent events (`data: {"delta":"..."}` … `event: done`).
 */
import { Router } from 'express';
import type { Response } from 'express';
import type { Logger } from '@keyless/logging';
import { startModelCall, traceModelCall } from '@keyless/telemetry';
import type { ModelCall } from '@keyless/telemetry';
import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { parseBody } from '../body.ts';
import type { HttpServiceConfig } from '../config.ts';
import type { RouteFactory } from '../context.ts';
import { methodNotAllowed } from '../error-handler.ts';
import { chatRequest } from '../schemas.ts';
import type { ChatRequest } from '../schemas.ts';
import { sendEvent, startEventStream } from '../sse.ts';
import { endStreamWithProblem, idleTimeout } from '../stream-support.ts';
import { toUsage, upstreamCall } from '../upstream-call.ts';
import type { UpstreamCall, Usage } from '../upstream-call.ts';
import { UpstreamTimeoutError } from '../upstream-errors.ts';
import type { UpstreamContext } from '../upstream-errors.ts';

export const chatRoutes: RouteFactory = ({ config, clients, upstream, jsonBody }) => {
  const { openai } = clients;
  const router = Router();
  router.post('/api/chat', jsonBody, async (req, res) => {
    const body = parseBody(chatRequest, req.body);
    const call = upstreamCall(res, config);
    const params = completionParams(body, config);
    if (body.stream) {
      await streamChat({ openai, config, upstream, params, call, res, log: req.log });
      return;
    }
    const completion = await traceModelCall(modelCall(params, config), () =>
      openai.chat.completions.create({ ...params, stream: false }, call.options),
    );
    const choice = completion.choices[0];
    res.json({
      id: completion.id,
      message: { role: 'assistant', content: choice?.message.content ?? '' },
      finishReason: choice?.finish_reason ?? null,
      usage: toUsage(completion.usage),
    });
  });
  router.all('/api/chat', methodNotAllowed('POST'));
  return router;
};

/** What the model-call span records: never the messages unless content capture is on. */
function modelCall(params: ChatCompletionCreateParamsBase, config: HttpServiceConfig): ModelCall {
  return {
    operation: 'chat',
    apiType: 'chat_completions',
    deployment: params.model,
    endpoint: config.keyless.openai.endpoint,
    input: params.messages,
    ...(params.max_completion_tokens ? { maxTokens: params.max_completion_tokens } : {}),
  };
}

function completionParams(
  body: ChatRequest,
  config: HttpServiceConfig,
): ChatCompletionCreateParamsBase {
  return {
    model: config.keyless.openai.chatDeployment,
    messages: body.messages,
    // max_completion_tokens, not the deprecated max_tokens, which reasoning models refuse.
    ...(body.maxTokens === undefined ? {} : { max_completion_tokens: body.maxTokens }),
  };
}

interface StreamChat {
  openai: OpenAI;
  config: HttpServiceConfig;
  upstream: UpstreamContext;
  params: ChatCompletionCreateParamsBase;
  call: UpstreamCall;
  res: Response;
  log: Logger;
}

async function streamChat({
  openai,
  config,
  upstream,
  params,
  call,
  res,
  log,
}: StreamChat): Promise<void> {
  const span = startModelCall(modelCall(params, config));
  // Errors before the first byte (throttled, refused, timeout) still get a proper status code.
  const stream = await openai.chat.completions
    .create({ ...params, stream: true, stream_options: { include_usage: true } }, call.options)
    .catch((error: unknown) => {
      span.fail(error);
      throw error;
    });
  startEventStream(res);
  // The SDK's timeout ends when the headers arrive; a stream that stalls is cut here instead.
  const idle = idleTimeout(config.keyless.openai.timeoutMs, () =>
    call.controller.abort(new UpstreamTimeoutError('The model stream stalled.')),
  );
  let id = '';
  let content = '';
  let usage: Usage | null = null;
  let finishReason: string | null = null;
  let failure: unknown;
  try {
    // The SDK ends the iteration quietly when the signal aborts; the signal says why below.
    for await (const chunk of stream) {
      idle.reset();
      id ||= chunk.id;
      usage = toUsage(chunk.usage) ?? usage;
      const choice = chunk.choices[0];
      finishReason = choice?.finish_reason ?? finishReason;
      const delta = choice?.delta.content;
      if (delta) {
        content += delta;
        await sendEvent(res, { delta });
      }
    }
  } catch (error) {
    failure = error;
  } finally {
    idle.clear();
  }
  const reason: unknown = call.controller.signal.reason;
  if (reason instanceof UpstreamTimeoutError) failure = reason;
  if (call.clientGone() || failure !== undefined) span.fail(failure ?? reason);
  else {
    span.end({
      inputTokens: usage?.promptTokens,
      outputTokens: usage?.completionTokens,
      finishReasons: finishReason ? [finishReason] : [],
      responseId: id,
      output: [{ role: 'assistant', content }],
    });
  }
  if (call.clientGone()) {
    log.info('client disconnected; the model call was aborted');
    res.end();
    return;
  }
  if (failure === undefined) {
    await sendEvent(res, { id, usage, finishReason }, 'done');
    res.end();
    return;
  }
  await endStreamWithProblem(res, failure, upstream, log);
}
