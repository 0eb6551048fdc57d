// JWTs (header.payload.signature, base64url) and bearer/api-key header values.
const jwt = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
const authorizationValue = /\b(Bearer|api-key[:=]?)\s+[^\s"',]+/gi;

/**
 * Removes anything token-shaped from text headed for a message or log. Azure's own messages do
 * not carry tokens, but messages pass through several libraries, so redact at the edge anyway.
 */
export function redact(text: string): string {
  return text.replace(jwt, '[redacted token]').replace(authorizationValue, '$1 [redacted]');
}
