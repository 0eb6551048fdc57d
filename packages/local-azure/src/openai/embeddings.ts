import { createHash } from 'node:crypto';
import type { EmbeddingsRequest } from './requests.ts';
import { countTokens } from './tokenizer.ts';

/**
 * A deterministic unit vector for an input: a small PRNG (sfc32) seeded from the SHA-256 of the
 * input fills `fullDimensions` values; a shorter `dimensions` keeps the leading values and is
 * normalised again, the way `text-embedding-3` models shorten their vectors. The same input
 * always gives the same vector, different inputs give unrelated ones.
 */
export function embeddingVector(
  input: string,
  fullDimensions: number,
  dimensions: number,
): number[] {
  const seed = createHash('sha256').update(input).digest();
  let a = seed.readUInt32LE(0);
  let b = seed.readUInt32LE(4);
  let c = seed.readUInt32LE(8);
  let d = seed.readUInt32LE(12);
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const result = (t + d) | 0;
    c = (c + result) | 0;
    return (result >>> 0) / 4294967296;
  };
  const values: number[] = [];
  for (let index = 0; index < fullDimensions; index += 1) {
    const value = next() * 2 - 1;
    if (index < dimensions) values.push(value);
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => value / norm);
}

/** Little-endian float32 bytes in base64: what the API returns for `encoding_format: "base64"`. */
export function toBase64(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

function inputs(request: EmbeddingsRequest): Array<{ text: string; tokens: number }> {
  const { input } = request;
  if (typeof input === 'string') return [{ text: input, tokens: countTokens(input) }];
  if (input.length > 0 && typeof input[0] === 'number') {
    return [{ text: JSON.stringify(input), tokens: input.length }];
  }
  return (input as Array<string | number[]>).map((item) =>
    typeof item === 'string'
      ? { text: item, tokens: countTokens(item) }
      : { text: JSON.stringify(item), tokens: item.length },
  );
}

export function promptTokensOf(request: EmbeddingsRequest): number {
  return inputs(request).reduce((sum, item) => sum + item.tokens, 0);
}

export function embeddingsBody(
  request: EmbeddingsRequest,
  model: string,
  fullDimensions: number,
): Record<string, unknown> {
  const dimensions = request.dimensions ?? fullDimensions;
  const base64 = request.encoding_format === 'base64';
  const items = inputs(request);
  const promptTokens = items.reduce((sum, item) => sum + item.tokens, 0);
  return {
    data: items.map((item, index) => {
      const vector = embeddingVector(item.text, fullDimensions, dimensions);
      return { embedding: base64 ? toBase64(vector) : vector, index, object: 'embedding' };
    }),
    model,
    object: 'list',
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}
