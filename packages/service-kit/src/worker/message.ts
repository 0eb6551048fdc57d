import { Buffer } from 'node:buffer';
import { z } from 'zod';

/**
 * A job's id becomes its result's blob name `<id>.json` and appears in every log line, so every
 * worker restricts it to characters that are safe in a blob path and a log line.
 */
export const jobIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, {
  message: 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit',
});

export type Decoded = { ok: true; value: unknown } | { ok: false };

/** A queue message's text as JSON; tools such as `az storage message put` send it base64-encoded. */
export function decodeMessage(text: string): Decoded {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text.trim())) return { ok: false };
    try {
      return {
        ok: true,
        value: JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as unknown,
      };
    } catch {
      return { ok: false };
    }
  }
}

/** Best-effort id of a message that failed validation, so the poison entry can name it. */
export function guessJobId(text: string): string | undefined {
  const decoded = decodeMessage(text);
  if (!decoded.ok || typeof decoded.value !== 'object' || decoded.value === null) return undefined;
  const id = (decoded.value as { id?: unknown }).id;
  return typeof id === 'string' ? id.slice(0, 128) : undefined;
}
