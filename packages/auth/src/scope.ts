/** Token scopes (audiences) for the Azure data planes this template calls. */

export const publicOpenAIScope = 'https://cognitiveservices.azure.com/.default';
export const usGovernmentOpenAIScope = 'https://cognitiveservices.azure.us/.default';
export const chinaOpenAIScope = 'https://cognitiveservices.azure.cn/.default';
export const storageScope = 'https://storage.azure.com/.default';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Whether a URL points at this machine (the local stack), where plain http is allowed. */
export function isLoopbackUrl(url: URL): boolean {
  return loopbackHosts.has(url.hostname);
}

/**
 * The Cognitive Services scope for an endpoint's cloud. Sovereign clouds issue tokens for their
 * own audience, so a public-cloud scope against `*.azure.us` gets a 401 that looks like a bug.
 * Loopback (the local stack) uses the public audience, as the emulator expects.
 */
export function openAIScopeForEndpoint(endpoint: string): string {
  const host = new URL(endpoint).hostname.toLowerCase();
  if (host.endsWith('.azure.us')) return usGovernmentOpenAIScope;
  if (host.endsWith('.azure.cn')) return chinaOpenAIScope;
  return publicOpenAIScope;
}

/** The audience a scope asks for (`https://x/.default` → `https://x`), as it appears in a token's `aud`. */
export function audienceOfScope(scope: string): string {
  return scope.replace(/\/\.default$/, '');
}
