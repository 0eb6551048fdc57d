import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

// No Docker engine here: check offline the properties that matter for Container Apps.
const dockerfile = await readFile(new URL('../Dockerfile', import.meta.url), 'utf8');
const dockerignore = await readFile(new URL('../../../.dockerignore', import.meta.url), 'utf8');
const instructions = dockerfile
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
const stages = instructions.filter((line) => /^FROM\s/i.test(line));

describe('the api Dockerfile', () => {
  it('is multi-stage on Node 24', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^FROM node:24(-slim|-alpine)?\s/);
  });

  it('runs as the non-root node user in the final stage', () => {
    const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const users = [...finalStage.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
    expect(users.at(-1)).toBe('node');
  });

  it('builds the bundle with nx and installs only production dependencies at run time', () => {
    expect(dockerfile).toContain('npx nx build @keyless/api');
    expect(dockerfile).toMatch(/npm ci --omit=dev[^\n]*--workspace apps\/api/);
    expect(instructions.at(-1)).toBe('CMD ["node", "apps/api/dist/main.js"]');
  });

  it('carries no secrets, keys or build arguments for them', () => {
    expect(dockerfile).not.toMatch(/^\s*ARG\s/im);
    const secretish =
      /api[-_]?key|account_?key|secret|password|connection_?string|sas_?token|[?&]sig=/i;
    expect(instructions.join('\n')).not.toMatch(secretish);
    const envNames = instructions.flatMap((line) => /^ENV\s+(\w+)=/.exec(line)?.[1] ?? []);
    expect(envNames).toEqual(['NODE_ENV', 'PORT']);
  });

  it('has no HEALTHCHECK: Container Apps probes /healthz and /readyz instead', () => {
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
  });

  it('leaves local state, env files and node_modules out of the build context', () => {
    const ignored = dockerignore.split('\n').map((line) => line.trim());
    for (const entry of ['**/node_modules', '.local-azure', '.env', '.env.*', '.azure']) {
      expect(ignored).toContain(entry);
    }
  });
});
