import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Certificate {
  readonly certPath: string;
  readonly keyPath: string;
}

/**
 * Makes a self-signed certificate for 127.0.0.1 and localhost with openssl, valid for a week,
 * into `directory`. Made at every start so that no private key is ever committed.
 */
export async function createCertificate(directory: string): Promise<Certificate> {
  await mkdir(directory, { recursive: true });
  const certPath = join(directory, 'azurite-cert.pem');
  const keyPath = join(directory, 'azurite-key.pem');
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '7',
      '-subj',
      '/CN=keyless local-azure',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ]);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? 'openssl was not found, so the local stack cannot make the certificate Azurite needs for https. Install it (apt-get install openssl, brew install openssl) or start the stack with storage: false.'
        : `openssl could not make Azurite's certificate: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { certPath, keyPath };
}
