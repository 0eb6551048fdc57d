import type { ServerResponse } from 'node:http';
import type { DataPlane } from './data-plane.ts';
import { invalidRequest, previousResponseNotFound, quotaError } from './errors.ts';
import { sendError } from './http.ts';
import { sendPaced, type PacedFrame } from './latency.ts';
import type { DeploymentConfig } from './options.ts';
import { validate } from './requests.ts';
import { responseEvents } from './response-events.ts';
import { responsesRequestSchema } from './responses-request.ts';
import { respond, type ModelResponse } from './responses.ts';
import type { Route } from './routes.ts';

/**
 * `POST /openai/v1/responses`: validates the body, continues `previous_response_id`'s stored
 * conversation, charges the quota, stores the result unless `store: false`, and answers with the
 * response object or its event stream.
 */
export async function serveResponses(
  plane: DataPlane,
  route: Route,
  deployment: DeploymentConfig,
  body: Record<string, unknown>,
  response: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  const parsed = validate(responsesRequestSchema, body);
  if (!parsed.ok) return sendError(response, parsed.error, headers);
  const request = parsed.value;
  if (request.input === undefined && !request.previous_response_id) {
    return sendError(
      response,
      invalidRequest("Missing required parameter: 'input'.", 'input'),
      headers,
    );
  }
  const previousId = request.previous_response_id;
  const previous = previousId ? plane.responses.get(previousId) : undefined;
  if (previousId && !previous) {
    return sendError(response, previousResponseNotFound(previousId), headers);
  }
  const result = respond(request, previous, deployment.model);
  if (!result.ok) return sendError(response, result.error, headers);
  const answer = result.response;

  const quota = plane.limiter.take(deployment.name, answer.inputTokens + answer.outputTokens);
  if (!quota.allowed) {
    return sendError(response, quotaError(route, quota), { ...headers, ...quota.headers });
  }
  if (request.store !== false) {
    plane.responses.put(String(answer.body.id), {
      body: answer.body,
      conversation: answer.conversation,
    });
  }
  const responseHeaders = { ...headers, ...quota.headers, 'x-ms-deployment-name': deployment.name };
  return sendPaced(
    response,
    plane.latency(),
    responseHeaders,
    request.stream
      ? { frames: eventFrames(answer) }
      : { body: answer.body, tokens: answer.tokens.length },
  );
}

function* eventFrames(answer: ModelResponse): Generator<PacedFrame> {
  for (const { event, isToken } of responseEvents(answer)) {
    yield { text: `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`, isToken };
  }
}
