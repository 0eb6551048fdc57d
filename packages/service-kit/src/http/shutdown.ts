/**
 * Graceful shutdown for SIGTERM (Container Apps sends it before stopping a replica): stop
 * accepting connections, let in-flight requests finish, and close whatever is left at the
 * deadline. Resolves with the exit code, 0 either way: a scale-in that had to cut a long stream
 * is routine, not a crash (the warning in the log says it happened).
 */
import type { Server } from 'node:http';
import type { Logger } from '@keyless/logging';

export interface Shutdown {
  isDraining(): boolean;
  /** Starts draining; repeated signals return the same promise. */
  drain(signal: string): Promise<number>;
}

export function createShutdown(
  server: Server,
  options: { timeoutMs: number; logger: Logger },
): Shutdown {
  let draining: Promise<number> | undefined;

  // A keep-alive connection that finishes its request while draining is closed straight away.
  server.on('request', (_req, res) => {
    res.on('finish', () => {
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });

  function drain(signal: string): Promise<number> {
    draining ??= new Promise<number>((resolve) => {
      options.logger.info(
        { signal, timeoutMs: options.timeoutMs },
        'shutting down: finishing in-flight requests',
      );
      const deadline = setTimeout(() => {
        options.logger.warn('shutdown deadline reached; closing the remaining connections');
        server.closeAllConnections();
        resolve(0);
      }, options.timeoutMs);
      server.close(() => {
        clearTimeout(deadline);
        options.logger.info('all requests finished');
        resolve(0);
      });
      server.closeIdleConnections();
    });
    return draining;
  }

  return { isDraining: () => draining !== undefined, drain };
}
