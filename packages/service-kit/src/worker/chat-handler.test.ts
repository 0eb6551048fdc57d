import { describe, expect, it } from 'vitest';
import { finishReasonOf } from './chat-handler.ts';

describe('a Responses outcome in chat completions terms', () => {
  it('is stop when completed and length when cut by max_output_tokens', () => {
    expect(finishReasonOf('completed', undefined)).toBe('stop');
    expect(finishReasonOf('incomplete', 'max_output_tokens')).toBe('length');
  });

  it('keeps any other reason or status as Responses names it', () => {
    expect(finishReasonOf('incomplete', 'content_filter')).toBe('content_filter');
    expect(finishReasonOf('incomplete', undefined)).toBe('incomplete');
    expect(finishReasonOf('failed', undefined)).toBe('failed');
    expect(finishReasonOf(undefined, undefined)).toBeNull();
  });
});
