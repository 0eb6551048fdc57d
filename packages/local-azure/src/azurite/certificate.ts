import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface Certificate {
  readonly certPath: string;
  readonly keyPath: string;
}

const validityDays = 7;

/**
 * Makes a self-signed certificate for 127.0.0.1 and localhost (P-256, valid for a week) into
 * `directory`. Made at every start so that no private key is ever committed; made in JavaScript
 * (selfsigned, on WebCrypto) so that no openssl binary is needed, which Windows lacks.
 */
export async function createCertificate(directory: string): Promise<Certificate> {
  await mkdir(directory, { recursive: true });
  const certPath = join(directory, 'azurite-cert.pem');
  const keyPath = join(directory, 'azurite-key.pem');
  const notBeforeDate = new Date();
  const pems = await generate([{ name: 'commonName', value: 'keyless local-azure' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + validityDays * 24 * 60 * 60 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert);
  return { certPath, keyPath };
}
