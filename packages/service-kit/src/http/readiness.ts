/**
 * Readiness as Container Apps probes it: can we get a token, and can we reach the model
 * endpoint? A success is reused for a few seconds so frequent probes do not each fetch a token;
 * a failure is not cached, so the replica turns ready as soon as the cause is fixed.
 */

export interface ReadinessItem {
  name: string;
  ok: boolean;
  reason?: string;
}

export interface ReadinessReport {
  ok: boolean;
  checks: ReadinessItem[];
}

export type ReadinessCheck = (timeoutMs: number) => Promise<ReadinessReport>;

/** @keyless/auth's check: a token for each scope the service needs. */
export type TokenReadiness = (
  timeoutMs: number,
) => Promise<{ ok: boolean; checks: Array<{ scope: string; ok: boolean; reason?: string }> }>;

export interface Readiness {
  check(): Promise<ReadinessReport>;
}

/** Tokens for every scope, and an HTTP answer (any status) from the model endpoint. */
export function modelReadiness(tokens: TokenReadiness, endpoint: string): ReadinessCheck {
  return async (timeoutMs) => {
    const [tokenReport, reachable] = await Promise.all([
      tokens(timeoutMs),
      endpointReachable(endpoint, timeoutMs),
    ]);
    const checks = [
      ...tokenReport.checks.map(({ scope, ok, reason }) => ({
        name: `token ${scope}`,
        ok,
        ...(reason === undefined ? {} : { reason }),
      })),
      reachable,
    ];
    return { ok: checks.every((check) => check.ok), checks };
  };
}

async function endpointReachable(endpoint: string, timeoutMs: number): Promise<ReadinessItem> {
  const name = `reach ${new URL(endpoint).origin}`;
  try {
    // Unauthenticated on purpose: a 401 or 404 still proves DNS, TLS and the network path.
    const response = await fetch(endpoint, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return { name, ok: true };
  } catch (error) {
    const cause = error instanceof Error ? (error.cause ?? error) : error;
    const message = cause instanceof Error ? cause.message : String(cause);
    return {
      name,
      ok: false,
      reason: `cannot reach the model endpoint (${message}); check AZURE_OPENAI_ENDPOINT and the network path to it`,
    };
  }
}

export function createReadiness(
  check: ReadinessCheck,
  options: { timeoutMs: number; cacheMs: number; now?: () => number },
): Readiness {
  const now = options.now ?? Date.now;
  let success: { report: ReadinessReport; until: number } | undefined;
  // Probes that arrive together share one check.
  let running: Promise<ReadinessReport> | undefined;

  async function run(): Promise<ReadinessReport> {
    const report = await check(options.timeoutMs).catch((error: unknown): ReadinessReport => ({
      ok: false,
      checks: [
        {
          name: 'readiness',
          ok: false,
          reason: error instanceof Error ? error.message : String(error),
        },
      ],
    }));
    success = report.ok ? { report, until: now() + options.cacheMs } : undefined;
    return report;
  }

  return {
    check() {
      if (success && now() < success.until) return Promise.resolve(success.report);
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
