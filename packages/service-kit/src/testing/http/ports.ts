/** Loopback ports as the checks see them: whether one refuses connections, and one that does. */
import { connect } from 'node:net';

/** True when a connection to this loopback port is refused (nothing listens there). */
export function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/**
 * A loopback port that refuses connections, below 1024: a port the system hands out to `listen(0)`
 * is always above that, so no server starting beside a check (the suite starts many) can take it
 * between the choice and the service's call, as one could take a freed ephemeral port.
 */
export async function closedPort(): Promise<number> {
  for (let port = 1; port < 1024; port += 1) {
    if (await refusesConnections(port)) return port;
  }
  throw new Error(
    'Every loopback port below 1024 accepts connections, so this check has no unreachable endpoint; stop one of those listeners and run it again.',
  );
}
