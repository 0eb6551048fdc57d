import { readFileSync } from 'node:fs';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';

/**
 * Makes this process trust the stack's certificate from now on (tls.setDefaultCACertificates, Node 24). Child
 * processes get NODE_EXTRA_CA_CERTS instead, which Node reads only at start-up.
 */
export function trustCertificate(certPath: string): void {
  const pem = readFileSync(certPath, 'utf8');
  const current = getCACertificates('default');
  if (!current.includes(pem)) {
    setDefaultCACertificates([...current, pem]);
  }
}
