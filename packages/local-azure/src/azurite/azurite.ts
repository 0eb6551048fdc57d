import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortInUseError } from '../errors.ts';
import { forwardLines, stopChild } from '../child-process.ts';
import { loopback } from '../listen.ts';
import { createCertificate } from './certificate.ts';

export interface AzuriteOptions {
  /** 0 (the default) picks a free port. */
  blobPort?: number;
  queuePort?: number;
  /** Persist data in this folder; without it Azurite keeps everything in memory. */
  dataDir?: string;
  /** Where the certificate goes; a temporary folder (removed on close) unless given. */
  certDir?: string;
  /** Receives Azurite's output, a line at a time (its access log is off). */
  onOutput?: (source: 'azurite', line: string) => void;
  /** Names the variables that move the ports, for the port-in-use message. */
  portEnvVars?: Partial<Record<AzuriteService, string>>;
  startTimeoutMs?: number;
}

export interface AzuriteHandle {
  /** `https://127.0.0.1:<port>/devstoreaccount1` */
  readonly blobEndpoint: string;
  readonly queueEndpoint: string;
  /** The self-signed certificate clients must trust (NODE_EXTRA_CA_CERTS or trustCertificate). */
  readonly caCertPath: string;
  readonly pids: number[];
  close(): Promise<void>;
}

export type AzuriteService = 'blob' | 'queue';

/** Azurite's well-known development account; the name is public, and we never use its key. */
export const azuriteAccount = 'devstoreaccount1';

const require = createRequire(import.meta.url);
const wrapper = fileURLToPath(new URL('../bin/azurite.ts', import.meta.url));

/**
 * Starts Azurite's blob and queue services from the project's own `azurite`, over https with
 * `--oauth basic`, so that only bearer tokens (from the identity endpoint) get in.
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  const temporaryCertDir = options.certDir
    ? undefined
    : await mkdtemp(join(tmpdir(), 'local-azure-'));
  const certDir = options.certDir ?? temporaryCertDir ?? tmpdir();
  const removeTemporary = async (): Promise<void> => {
    if (temporaryCertDir) await rm(temporaryCertDir, { recursive: true, force: true });
  };
  const { certPath, keyPath } = await createCertificate(certDir).catch(async (error: unknown) => {
    await removeTemporary();
    throw error;
  });
  const common = [
    '--oauth',
    'basic',
    '--cert',
    certPath,
    '--key',
    keyPath,
    // Azurite otherwise reports usage over the network; nothing here may leave the machine.
    '--disableTelemetry',
    // Newer SDKs send service versions Azurite has not heard of yet.
    '--skipApiVersionCheck',
    '--silent',
    ...(options.dataDir ? ['--location', options.dataDir] : ['--inMemoryPersistence']),
  ];
  const args = [
    ...['blob', 'queue'].flatMap((service) => [`--${service}Host`, loopback]),
    '--blobPort',
    String(options.blobPort ?? 0),
    '--queuePort',
    String(options.queuePort ?? 0),
    // One process serves blob, queue and table (half the memory of two); table is unused, on a free port.
    '--tableHost',
    loopback,
    '--tablePort',
    '0',
    ...common,
  ];
  const running = await startProcess(args, options).catch(async (error: unknown) => {
    await removeTemporary();
    throw error;
  });
  return {
    blobEndpoint: `${running.urls.blob}/${azuriteAccount}`,
    queueEndpoint: `${running.urls.queue}/${azuriteAccount}`,
    caCertPath: certPath,
    pids: [running.pid],
    async close() {
      await running.stop();
      // A stopped stack needs no certificate; its private key should not outlive it.
      await Promise.all([certPath, keyPath].map((path) => rm(path, { force: true })));
      await removeTemporary();
    },
  };
}

interface RunningAzurite {
  readonly urls: Record<AzuriteService, string>;
  readonly pid: number;
  stop(): Promise<void>;
}

const serviceNames: Record<AzuriteService, string> = {
  blob: 'Azurite blob service',
  queue: 'Azurite queue service',
};

function startProcess(args: string[], options: AzuriteOptions): Promise<RunningAzurite> {
  const main = require.resolve('azurite/dist/src/azurite.js');
  const child = spawn(process.execPath, [wrapper, main, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    // A process group of its own: a terminal's Ctrl-C goes to every process of the group, and
    // Azurite would close on it and then again on our SIGTERM ("Shutdown close failed"). The
    // stack stops it; the wrapper's stdin lifeline still ends it if the stack dies. Not on
    // Windows, where a detached child gets a console window of its own.
    detached: process.platform !== 'win32',
  });
  const output: string[] = [];
  const urls: Partial<Record<AzuriteService, string>> = {};
  const timeout = options.startTimeoutMs ?? 30_000;
  const ports: Record<AzuriteService, number> = {
    blob: options.blobPort ?? 0,
    queue: options.queuePort ?? 0,
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stopChild(child);
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(
        new Error(`Azurite did not start within ${timeout} ms. Its output:\n${output.join('\n')}`),
      );
    }, timeout);
    const onLine = (line: string): void => {
      output.push(line);
      const listening =
        /Azurite (Blob|Queue|Table) service is successfully listening at (https:\/\/\S+)/.exec(
          line,
        );
      const service = listening?.[1]?.toLowerCase();
      if (service === 'blob' || service === 'queue' || service === 'table') {
        if (service !== 'table') urls[service] = listening?.[2];
      }
      if (
        !/ service is (starting|successfully listening) at |^In-memory extent storage/.test(line)
      ) {
        options.onOutput?.('azurite', line);
      }
      if (settled) return;
      const inUse = /EADDRINUSE: address already in use \S*:(\d+)/.exec(line);
      if (inUse) {
        const port = Number(inUse[1]);
        const taken =
          (Object.keys(ports) as AzuriteService[]).find((candidate) => ports[candidate] === port) ??
          'blob';
        fail(new PortInUseError(port, serviceNames[taken], options.portEnvVars?.[taken]));
        return;
      }
      if (urls.blob && urls.queue) {
        settled = true;
        clearTimeout(timer);
        resolve({
          urls: { blob: urls.blob, queue: urls.queue },
          pid: child.pid ?? 0,
          stop: () => stopChild(child),
        });
      }
    };
    // Azurite pads its output with blank lines and trailing spaces.
    forwardLines(child, (line) => {
      if (line.trim()) onLine(line.trimEnd());
    });
    child.once('error', (error) => fail(error));
    child.once('exit', (code, signal) => {
      fail(
        new Error(
          `Azurite exited (${signal ?? `code ${code}`}) before it listened. Its output:\n${output.join('\n')}`,
        ),
      );
    });
  });
}
