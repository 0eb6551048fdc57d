/**
 * The emulator's tokenizer, deliberately simple so tests can count by hand: a token is a run of
 * letters, digits and underscores, or one other non-space character, together with the
 * whitespace in front of it ("Hello, world" → "Hello" "," " world"). Joining the tokens gives the
 * text back (less trailing whitespace), which is what lets streaming send one token per chunk.
 */
const tokenPattern = /\s*(?:[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_])/gu;

export function splitTokens(text: string): string[] {
  return text.match(tokenPattern) ?? [];
}

export function countTokens(text: string): number {
  return splitTokens(text).length;
}

/** Per-message framing cost, after OpenAI's own rule for chat models: 3 per message, 3 to prime the reply. */
export const tokensPerMessage = 3;
export const tokensPerReply = 3;

export function countPromptTokens(messageTexts: readonly string[]): number {
  return (
    messageTexts.reduce((sum, text) => sum + tokensPerMessage + countTokens(text), 0) +
    tokensPerReply
  );
}
