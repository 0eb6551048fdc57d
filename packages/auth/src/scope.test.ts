import { describe, expect, it } from 'vitest';
import { audienceOfScope, isLoopbackUrl, openAIScopeForEndpoint } from './scope.ts';

describe('scope', () => {
  it('maps sovereign clouds to their own audience and everything else to the public one', () => {
    expect(openAIScopeForEndpoint('https://x.cognitiveservices.azure.us')).toBe(
      'https://cognitiveservices.azure.us/.default',
    );
    expect(openAIScopeForEndpoint('https://x.openai.azure.cn/')).toBe(
      'https://cognitiveservices.azure.cn/.default',
    );
    expect(openAIScopeForEndpoint('https://x.services.ai.azure.com')).toBe(
      'https://cognitiveservices.azure.com/.default',
    );
  });

  it('strips /.default to get the audience a token carries', () => {
    expect(audienceOfScope('https://cognitiveservices.azure.com/.default')).toBe(
      'https://cognitiveservices.azure.com',
    );
  });

  it('treats only this machine as loopback', () => {
    expect(isLoopbackUrl(new URL('http://127.0.0.1:1'))).toBe(true);
    expect(isLoopbackUrl(new URL('http://[::1]:1'))).toBe(true);
    expect(isLoopbackUrl(new URL('http://127.0.0.1.example.com'))).toBe(false);
  });
});
