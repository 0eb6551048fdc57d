import { isAbsolute, relative } from 'node:path';
import type { LocalAzure } from './stack.ts';

/** The table `npm start` prints: what runs where, as which identity. */
export function statusTable(stack: LocalAzure, ready: readonly boolean[]): string {
  const rows: Array<[string, string, string]> = [
    ['managed-identity endpoint', stack.identity.url, ''],
    ['Azure OpenAI emulator', stack.openai.url, ''],
    ['telemetry (OTLP/HTTP)', stack.telemetry.url, 'traces: npm run traces'],
  ];
  if (stack.storage) {
    rows.push(
      ['Azurite blob', stack.storage.blobEndpoint, ''],
      ['Azurite queue', stack.storage.queueEndpoint, ''],
    );
  }
  stack.services.forEach((service, index) => {
    const identity = stack.identities.find(
      (candidate) => candidate.name === service.definition.identityName,
    );
    rows.push([
      `${service.definition.name} (${service.definition.kind})${ready[index] ? '' : ' - not answering yet'}`,
      `http://127.0.0.1:${service.port}`,
      identity ? `${identity.name} (${identity.clientId})` : service.definition.identityName,
    ]);
  });
  for (const skipped of stack.skippedServices) {
    rows.push([
      `${skipped.name} (${skipped.kind})`,
      'skipped: no src/main.ts yet',
      skipped.identityName,
    ]);
  }
  const what = Math.max(...rows.map(([name]) => name.length));
  const where = Math.max(...rows.map(([, url]) => url.length));
  const line = ([name, url, identity]: [string, string, string]): string =>
    `  ${name.padEnd(what)}  ${url.padEnd(where)}  ${identity}`.trimEnd();
  return rows.map(line).join('\n');
}

/** How to use the running stack: the join file and one request to try. */
export function nextSteps(stack: LocalAzure, cwd: string): string {
  const lines: string[] = [];
  if (stack.envFile) {
    // Relative inside the working folder (what a user types); absolute anywhere else.
    const inside = relative(cwd, stack.envFile);
    const file = inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : stack.envFile;
    lines.push(
      `Join the stack from another terminal (as the local developer identity): set -a; . ${file}; set +a`,
      `  or per command: npx node --env-file=${file} --import @keyless/local-azure/trust-stack script.ts`,
    );
  }
  const api = stack.services.find((service) => service.definition.kind === 'api');
  if (api) {
    lines.push(
      'Try it:',
      `  curl -s localhost:${api.port}/api/chat -H 'content-type: application/json' -d '{"messages":[{"role":"user","content":"Hello"}]}'`,
    );
  }
  lines.push('Ctrl-C stops everything.');
  return lines.join('\n');
}
