import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

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
    ...Object.entries(env).map(([name, value]) => `${name}=${value}`),
  ];
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${lines.join('\n')}\n`, { mode: 0o600 });
}
