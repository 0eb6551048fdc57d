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
  const deadline = AbortSignal.timeout(timeoutMs);
  // Not every credential honours the signal (MSAL's managed identity may not), so the deadline also ends the wait.
  const expired = new Promise<never>((_resolve, reject) => {
    deadline.addEventListener('abort', () => reject(deadline.reason as Error), { once: true });
  });
  try {
    const token = await Promise.race([
      credential.getToken(scope, { abortSignal: deadline }),
      expired,
    ]);
    if (!token) return { scope, ok: false, reason: 'the credential returned no token' };
    return { scope, ok: true };
  } catch (error) {
    const reason = deadline.aborted
      ? `timed out after ${timeoutMs} ms waiting for a token; is the identity endpoint (IDENTITY_ENDPOINT) up?`
      : credentialFailure(error, scope).message;
    return { scope, ok: false, reason };
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
