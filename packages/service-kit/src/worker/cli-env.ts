import { existsSync, readFileSync } from 'node:fs';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { parseEnv } from 'node:util';

export type Env = Record<string, string | undefined>;

export interface CliEnvironment {
  env: Env;
  source: string;
  /**
   * The local stack's certificate, to trust in this process. Node reads NODE_EXTRA_CA_CERTS only
   * at start-up, and a machine may already set it (to a system bundle), so the file's value can
   * neither win through the environment nor be applied by it.
   */
  stackCertificate?: string;
}

/**
 * The environment for the command-line tools: the current one when it names a queue endpoint
 * (Azure, or a shell that sourced the env file), else the env file `npm start` writes.
 * Variables already set win over the file.
 */
export function cliEnvironment(current: Env, stackEnvPath: string): CliEnvironment {
  if (current.AZURE_STORAGE_QUEUE_ENDPOINT) return { env: current, source: 'the environment' };
  if (!existsSync(stackEnvPath)) {
    throw new Error(
      `No queue to talk to: AZURE_STORAGE_QUEUE_ENDPOINT is not set and ${stackEnvPath} does not exist.\n` +
        'Fix: start the local stack with `npm start` (it writes that file), or, for Azure, run `az login` and ' +
        'export the values from `azd env get-values` (AZURE_STORAGE_QUEUE_ENDPOINT, AZURE_STORAGE_BLOB_ENDPOINT, ' +
        'AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_CHAT_DEPLOYMENT).',
    );
  }
  const fromFile = parseEnv(readFileSync(stackEnvPath, 'utf8'));
  const env: Env = { ...fromFile };
  for (const [name, value] of Object.entries(current)) {
    if (value !== undefined && value !== '') env[name] = value;
  }
  const stackCertificate = fromFile.NODE_EXTRA_CA_CERTS;
  return { env, source: stackEnvPath, ...(stackCertificate && { stackCertificate }) };
}

/** The storage account's name, for the `az storage` commands the tools print. */
export function accountName(endpoint: string): string {
  const url = new URL(endpoint);
  // Azurite puts the account in the path; Azure in the host name.
  return url.hostname.endsWith('.core.windows.net')
    ? (url.hostname.split('.')[0] ?? url.hostname)
    : (url.pathname.split('/')[1] ?? 'devstoreaccount1');
}

/**
 * Makes this process trust the local stack's certificate (tls.setDefaultCACertificates, Node 24):
 * Node reads NODE_EXTRA_CA_CERTS only at start-up.
 */
export function trustCertificate(certPath: string): void {
  const pem = readFileSync(certPath, 'utf8');
  const current = getCACertificates('default');
  if (!current.includes(pem)) setDefaultCACertificates([...current, pem]);
}
