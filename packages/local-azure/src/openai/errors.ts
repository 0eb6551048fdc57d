import type { Route } from './routes.ts';

/**
 * The error responses Azure OpenAI sends, with Azure's own codes and wording, so that client code
 * (and `@keyless/auth`'s error mapping) sees locally exactly what it will see in Azure.
 */
export interface EmulatorErrorResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface ErrorDetail {
  code: string;
  message: string;
  /** Only set when one request field is at fault; the spec types it as a string, never null. */
  param?: string;
  type?: string;
}

function azureError(status: number, detail: ErrorDetail, headers?: Record<string, string>) {
  return { status, body: { error: detail }, ...(headers ? { headers } : {}) };
}

/** Unknown path, or a missing or unsupported `api-version`. */
export function resourceNotFound(): EmulatorErrorResponse {
  return azureError(404, { code: '404', message: 'Resource not found' });
}

/** An `api-key` header on a resource with `disableLocalAuth: true`. */
export function keyAuthDisabled(): EmulatorErrorResponse {
  return azureError(403, {
    code: 'AuthenticationTypeDisabled',
    message: 'Key based authentication is disabled for this resource.',
  });
}

/** A missing, malformed, badly signed, expired or wrong-audience bearer token: Azure's gateway shape, no `error` wrapper. */
export function unauthorized(): EmulatorErrorResponse {
  return {
    status: 401,
    body: {
      statusCode: 401,
      message:
        'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
    },
    headers: { 'www-authenticate': 'Bearer' },
  };
}

/** A valid token whose principal holds no role granting the operation's data action (401, as Azure answers). */
export function permissionDenied(
  principalId: string,
  dataAction: string,
  operation: string,
): EmulatorErrorResponse {
  return azureError(401, {
    code: 'PermissionDenied',
    message: `The principal \`${principalId}\` lacks the required data action \`${dataAction}\` to perform \`${operation}\` operation.`,
  });
}

export function deploymentNotFound(): EmulatorErrorResponse {
  return azureError(404, {
    code: 'DeploymentNotFound',
    message:
      'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
  });
}

/** A chat call on an embeddings deployment or the reverse. */
export function operationNotSupported(operation: string, model: string): EmulatorErrorResponse {
  return azureError(400, {
    code: 'OperationNotSupported',
    message: `The ${operation} operation does not work with the specified model, ${model}. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.`,
  });
}

export function invalidRequest(message: string, param?: string): EmulatorErrorResponse {
  return azureError(400, {
    code: 'BadRequest',
    message,
    ...(param === undefined ? {} : { param }),
    type: 'invalid_request_error',
  });
}

export function malformedJson(reason: string): EmulatorErrorResponse {
  return invalidRequest(
    `We could not parse the JSON body of your request (${reason}). The body must be a JSON object; send it with Content-Type: application/json.`,
  );
}

export function unsupportedMediaType(contentType: string | undefined): EmulatorErrorResponse {
  return azureError(415, {
    code: 'UnsupportedMediaType',
    message: `The request's Content-Type ${contentType ? `'${contentType}'` : 'is missing; it'} must be 'application/json'.`,
    type: 'invalid_request_error',
  });
}

export function payloadTooLarge(limitBytes: number): EmulatorErrorResponse {
  return azureError(413, {
    code: 'RequestEntityTooLarge',
    message: `The request body is larger than the ${limitBytes} bytes this resource accepts. Send fewer or shorter messages or inputs.`,
    type: 'invalid_request_error',
  });
}

export function rateLimited(options: {
  operation: string;
  apiVersion: string;
  limit: 'call' | 'token';
  retryAfterMs: number;
}): EmulatorErrorResponse {
  const seconds = Math.max(1, Math.ceil(options.retryAfterMs / 1000));
  return azureError(
    429,
    {
      code: '429',
      message: `Requests to the ${options.operation} Operation under Azure OpenAI API version ${options.apiVersion} have exceeded ${options.limit} rate limit of your current OpenAI S0 pricing tier. Please retry after ${seconds} seconds. Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit.`,
    },
    { 'retry-after': String(seconds), 'retry-after-ms': String(Math.ceil(options.retryAfterMs)) },
  );
}

export function internalServerError(): EmulatorErrorResponse {
  return azureError(500, {
    code: 'InternalServerError',
    message: 'The server had an error while processing your request. Sorry about that!',
  });
}

export function serviceUnavailable(): EmulatorErrorResponse {
  return azureError(503, {
    code: 'ServiceUnavailable',
    message: 'The service is temporarily unable to process your request. Please try again later.',
  });
}

/** Over the deployment's RPM or TPM quota, worded for the operation. */
export function quotaError(
  route: Route,
  quota: { exceeded?: 'call' | 'token'; retryAfterMs: number },
): EmulatorErrorResponse {
  return rateLimited({
    operation: route.operationName,
    apiVersion: route.apiVersion,
    limit: quota.exceeded ?? 'call',
    retryAfterMs: quota.retryAfterMs,
  });
}

/** GET or DELETE of a response that was never stored, was stored with `store: false`, or was deleted. */
export function responseNotFound(id: string): EmulatorErrorResponse {
  return azureError(404, {
    code: 'not_found',
    message: `Response with id '${id}' not found.`,
    param: 'response_id',
    type: 'invalid_request_error',
  });
}

/** `previous_response_id` names no stored response. */
export function previousResponseNotFound(id: string): EmulatorErrorResponse {
  return azureError(400, {
    code: 'previous_response_not_found',
    message: `Previous response with id '${id}' not found. Store the previous response (store: true, the default) or send the conversation in input instead.`,
    param: 'previous_response_id',
    type: 'invalid_request_error',
  });
}
