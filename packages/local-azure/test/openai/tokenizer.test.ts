import { describe, expect, it } from 'vitest';
import { embeddingVector } from '../../src/openai/embeddings.ts';
import { countPromptTokens, splitTokens } from '../../src/openai/tokenizer.ts';

describe('the emulator tokenizer', () => {
  it('splits words and punctuation, keeping the whitespace in front of each token', () => {
    expect(splitTokens('Hello, world! 42 times_two')).toEqual([
      'Hello',
      ',',
      ' world',
      '!',
      ' 42',
      ' times_two',
    ]);
  });

  it('gives the text back when the tokens are joined', () => {
    const text = 'Ünïcode   spacing\nand  «quotes» too';
    expect(splitTokens(text).join('')).toBe(text);
  });

  it('counts 3 tokens per message plus 3 to prime the reply', () => {
    expect(countPromptTokens(['Be brief.', 'Hi'])).toBe(3 + 3 + 3 + 1 + 3);
  });
});

describe('embedding vectors', () => {
  it('are unit length and the same for the same input', () => {
    const a = embeddingVector('same', 64, 64);
    expect(Math.hypot(...a)).toBeCloseTo(1, 10);
    expect(embeddingVector('same', 64, 64)).toEqual(a);
  });

  it('shorten by keeping the leading values of the full vector, normalised again', () => {
    const full = embeddingVector('shorten', 64, 64);
    const short = embeddingVector('shorten', 64, 8);
    const scale = short[0]! / full[0]!;
    short.forEach((value, index) => expect(value / scale).toBeCloseTo(full[index]!, 10));
  });
});
