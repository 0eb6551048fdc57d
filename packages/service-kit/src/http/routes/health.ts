/** GET /healthz (the process is alive; no dependencies) and GET /readyz (it can serve). */
import { Router } from 'express';
import { ProblemError, problemTypes } from '../problem.ts';
import type { Readiness, ReadinessItem } from '../readiness.ts';

export interface HealthDependencies {
  readiness: Readiness;
  /** True once shutdown began: the replica must leave the load balancer. */
  isDraining: () => boolean;
}

export const probePaths: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

export function healthRouter({ readiness, isDraining }: HealthDependencies): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (isDraining()) throw notReady('The service is shutting down.');
    const report = await readiness.check();
    if (!report.ok) {
      const reasons = report.checks
        .filter((check) => !check.ok)
        .map((check) => `${check.name}: ${check.reason ?? 'failed'}`);
      throw notReady(reasons.join('; '), report.checks);
    }
    res.json({ status: 'ready', checks: report.checks });
  });
  return router;
}

function notReady(detail: string, checks?: ReadinessItem[]): ProblemError {
  return new ProblemError({
    type: problemTypes.notReady,
    title: 'Not ready',
    status: 503,
    detail,
    ...(checks ? { checks } : {}),
  });
}
