import type { TokenCredential } from '@azure/identity';
import { credentialFailure } from './error-mapping.ts';

export interface ReadinessCheck {
  scope: string;
  ok: boolean;
  reason?: string;
}

export interface ReadinessResult {
  ok: boolean;
  checks: ReadinessCheck[];
}

export interface ReadinessOptions {
  /** How long each scope may take (default 5000 ms); a hung identity endpoint fails the check. */
  timeoutMs?: number;
}

async function checkScope(
  credential: TokenCredential,
  scope: string,
  timeoutMs: number,
): Promise<ReadinessCheck> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for a token`));
    }, timeoutMs);
  });
  try {
    const token = await Promise.race([
      credential.getToken(scope, { abortSignal: controller.signal }),
      timeout,
    ]);
    if (!token) return { scope, ok: false, reason: 'the credential returned no token' };
    return { scope, ok: true };
  } catch (error) {
    const reason =
      error instanceof Error && error.message.startsWith('timed out')
        ? `${error.message}; is the identity endpoint (IDENTITY_ENDPOINT) up?`
        : credentialFailure(error, scope).message;
    return { scope, ok: false, reason };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a token can be acquired for each scope within the timeout; names each failure and why. */
export async function checkReadiness(
  credential: TokenCredential,
  scopes: string[],
  options: ReadinessOptions = {},
): Promise<ReadinessResult> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const checks = await Promise.all(scopes.map((scope) => checkScope(credential, scope, timeoutMs)));
  return { ok: checks.every((check) => check.ok), checks };
}
