import { describe, expect, it } from 'vitest';
import { audienceOfScope, isLoopbackUrl, openAIScopeForEndpoint } from './scope.ts';

describe('scope', () => {
  it('asks for https://ai.azure.com on the v1 API and Cognitive Services on the dated API, as Microsoft documents', () => {
    expect(openAIScopeForEndpoint('https://x.openai.azure.com')).toBe(
      'https://ai.azure.com/.default',
    );
    expect(openAIScopeForEndpoint('https://x.openai.azure.com', 'v1')).toBe(
      'https://ai.azure.com/.default',
    );
    expect(openAIScopeForEndpoint('https://x.openai.azure.com', 'dated')).toBe(
      'https://cognitiveservices.azure.com/.default',
    );
    expect(openAIScopeForEndpoint('http://127.0.0.1:8080', 'v1')).toBe(
      'https://ai.azure.com/.default',
    );
  });

  it('keeps the Cognitive Services audience of sovereign clouds on both APIs', () => {
    for (const api of ['v1', 'dated'] as const) {
      expect(openAIScopeForEndpoint('https://x.cognitiveservices.azure.us', api)).toBe(
        'https://cognitiveservices.azure.us/.default',
      );
      expect(openAIScopeForEndpoint('https://x.openai.azure.cn/', api)).toBe(
        'https://cognitiveservices.azure.cn/.default',
      );
    }
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
