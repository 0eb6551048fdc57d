import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LocalAzureConfigError } from './errors.ts';

/**
 * Writes the variables a process needs to join the running stack, in the dotenv format that
 * `node --env-file` and `set -a; . <file>` both read.
 */
export async function writeEnvFile(
  path: string,
  env: Record<string, string>,
  identityName: string,
): Promise<void> {
  const lines = [
    `# Written by \`npm start\` (@keyless/local-azure) at ${new Date().toISOString()}; removed when it stops.`,
    `# The environment of the local "${identityName}" identity: the grants the infra gives the deploying developer.`,
    `# Join from a shell:  set -a; . ${path}; set +a   (then npx node, npm run doctor, a REPL)`,
    `# Or per command:     npx node --env-file=${path} --import @keyless/local-azure/trust-stack script.ts`,
    '#   (Node reads NODE_EXTRA_CA_CERTS before --env-file; the --import makes it trust the certificate anyway.)',
    ...Object.entries(env).map(([name, value]) => `${name}=${quoted(name, value)}`),
  ];
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${lines.join('\n')}\n`, { mode: 0o600 });
}

/**
 * Single quotes: both `sh` and Node's `--env-file` read what is inside literally, so a path with
 * spaces or a `#` survives. Neither can escape a single quote inside one, so such a value is refused.
 */
export function quoted(name: string, value: string): string {
  if (/['\r\n]/.test(value)) {
    throw new LocalAzureConfigError(
      `${name} holds a single quote or a line break, which the stack's env file cannot quote for both sh and node --env-file. Move the stack's folder (LOCAL_AZURE_DIR) to a path without one.`,
    );
  }
  return `'${value}'`;
}
