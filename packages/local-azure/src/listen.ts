import type { Server } from 'node:http';
import { PortInUseError } from './errors.ts';

/** Where a server of the stack listens: only loopback, never a public interface. */
export const loopback = '127.0.0.1';

/**
 * Listens on loopback and resolves with the bound port; a port in use becomes a
 * PortInUseError naming the service and the variable that moves it.
 */
export function listen(
  server: Server,
  port: number,
  service: string,
  envVar?: string,
): Promise<number> {
  return listenOnLoopback(
    server,
    port,
    (cause) => new PortInUseError(port, service, envVar, { cause }),
  );
}

/** Listens on loopback and resolves with the bound port; a port in use becomes `portInUse(cause)`. */
export function listenOnLoopback(
  server: Server,
  port: number,
  portInUse: (cause: NodeJS.ErrnoException) => Error,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(error.code === 'EADDRINUSE' ? portInUse(error) : error);
    };
    server.once('error', onError);
    server.listen(port, loopback, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * Closes the server and every open connection (keep-alive and hanging, e.g. fault-injected,
 * sockets would otherwise hold it open).
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
