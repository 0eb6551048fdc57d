import { pino } from 'pino';
import type { DestinationStream } from 'pino';

/**
 * stdout, written asynchronously: under load, lines written while a write is in flight go out
 * together in one syscall. Flush the logger (`logger.flush(callback)`) before the process exits.
 */
export function stdoutDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}
