/** Token scopes (audiences) for the Azure data planes this template calls. */

/** The v1 API (`/openai/v1/`, the plain `OpenAI` client) in Microsoft's current docs and samples. */
export const aiFoundryScope = 'https://ai.azure.com/.default';
/** The dated API (`AzureOpenAI`, `/openai/deployments/...?api-version=`), and what Azure OpenAI has always accepted. */
export const publicOpenAIScope = 'https://cognitiveservices.azure.com/.default';
export const usGovernmentOpenAIScope = 'https://cognitiveservices.azure.us/.default';
export const chinaOpenAIScope = 'https://cognitiveservices.azure.cn/.default';
export const storageScope = 'https://storage.azure.com/.default';

/** Which Azure OpenAI API a client calls: the v1 API, or the dated one with an `api-version`. */
export type OpenAIApi = 'v1' | 'dated';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Whether a URL points at this machine (the local stack), where plain http is allowed. */
export function isLoopbackUrl(url: URL): boolean {
  return loopbackHosts.has(url.hostname);
}

/**
 * The scope Microsoft documents for an endpoint's cloud and API. Public cloud: the v1 API's
 * samples ask for `https://ai.azure.com/.default`, the dated `AzureOpenAI` client's for
 * `https://cognitiveservices.azure.com/.default` (Azure accepts both on either API). Sovereign
 * clouds issue tokens for their own Cognitive Services audience, and nothing documents an
 * `ai.azure.us`/`ai.azure.cn` audience, so both APIs keep it there: a public-cloud scope against
 * `*.azure.us` gets a 401 that looks like a bug. Loopback (the local stack) follows the public cloud.
 */
export function openAIScopeForEndpoint(endpoint: string, api: OpenAIApi = 'v1'): string {
  const host = new URL(endpoint).hostname.toLowerCase();
  if (host.endsWith('.azure.us')) return usGovernmentOpenAIScope;
  if (host.endsWith('.azure.cn')) return chinaOpenAIScope;
  return api === 'v1' ? aiFoundryScope : publicOpenAIScope;
}

/** The audience a scope asks for (`https://x/.default` → `https://x`), as it appears in a token's `aud`. */
export function audienceOfScope(scope: string): string {
  return scope.replace(/\/\.default$/, '');
}
