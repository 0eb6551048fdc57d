/**
 * The one list of log fields that can carry a credential. Every service logs through it, so "no
 * token or authorization header ever reaches a log line" is decided here and nowhere else.
 */

// Header names as Node lower-cases them, plus `Authorization` as some SDKs spell it in the plain
// objects they attach to errors.
const credentialHeaders = [
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
  'api-key',
  'x-api-key',
  'ocp-apim-subscription-key',
];

// A path segment for pino's redaction: names that are not identifiers need brackets.
function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`;
}

export const redactedPaths: readonly string[] = [
  ...credentialHeaders.flatMap((name) => [
    // A bare field, `{ authorization }`, at the top level or one object down.
    key(name).replace(/^\./, ''),
    `*${key(name)}`,
    // Headers: pino-http's `req.headers`/`res.headers`, a logged `headers` object, an SDK error's
    // `err.headers`.
    `headers${key(name)}`,
    `*.headers${key(name)}`,
  ]),
  // SDK errors (Azure core's RestError, for one) carry the whole request and response, headers
  // included; neither is worth a credential in the log.
  '*.request.headers',
  'err.request',
  'err.response',
];

export const censor = '[redacted]';
