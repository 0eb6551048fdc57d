import net from 'node:net';
import { afterAll, expect } from 'vitest';

// Set up before every test file: any connection to a host other than this machine is refused
// and recorded, and the file fails. This is how the suite proves no request leaves loopback
// (and that no credential ever probes the instance-metadata service).
const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);
const refused: string[] = [];

interface ConnectOptions {
  host?: string;
  path?: string;
}

function destination(args: unknown[]): string | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'number' || typeof first === 'string') {
    // connect(port, host) or connect(path)
    if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined;
    return typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  const options = first as ConnectOptions | undefined;
  if (!options || options.path) return undefined; // a Unix socket or pipe: local by definition
  return options.host ?? 'localhost';
}

// eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound with apply below
const original = net.Socket.prototype.connect as (
  this: net.Socket,
  ...args: unknown[]
) => net.Socket;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const host = destination(args);
  if (host !== undefined && !loopbackHosts.has(host.replace(/^\[|\]$/g, ''))) {
    refused.push(host);
    process.nextTick(() =>
      this.destroy(new Error(`loopback guard: refused a connection to ${host}`)),
    );
    return this;
  }
  return original.apply(this, args);
};

afterAll(() => {
  expect(refused, 'connections attempted off loopback').toEqual([]);
});
