import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverServices } from '@keyless/local-azure';
import { describe, expect, it } from 'vitest';
import {
  dockerfileChecks,
  dockerfileProblems,
  dockerignoreProblems,
} from '../src/dockerfile-checks.ts';
import { workspaceRoot } from './workspace.ts';

// Every service, so the ones `npm run gen` adds are checked without a test of their own.
const services = discoverServices(join(workspaceRoot, 'apps'));
const dockerfilePath = (name: string) => join(workspaceRoot, 'apps', name, 'Dockerfile');
const withDockerfile = services.filter((service) => existsSync(dockerfilePath(service.name)));

describe('the services', () => {
  it('include the two samples (so the checks below cannot pass on an empty list)', () => {
    expect(services.map((service) => service.name)).toEqual(
      expect.arrayContaining(['api', 'worker']),
    );
  });

  it('each have a Dockerfile', () => {
    const missing = services
      .filter((service) => !existsSync(dockerfilePath(service.name)))
      .map((service) => `apps/${service.name}/Dockerfile`);
    expect(missing).toEqual([]);
  });
});

describe.each(withDockerfile.map((service) => [service.name, service] as const))(
  'the %s Dockerfile',
  (_name, service) => {
    const dockerfile = readFileSync(dockerfilePath(service.name), 'utf8');
    it.each(dockerfileChecks.map((check) => [check.title, check] as const))(
      '%s',
      (_title, check) => {
        expect(check.problems(dockerfile, service)).toEqual([]);
      },
    );
  },
);

describe('the build context', () => {
  it('leaves local state, env files and node_modules out (.dockerignore)', () => {
    const dockerignore = readFileSync(join(workspaceRoot, '.dockerignore'), 'utf8');
    expect(dockerignoreProblems(dockerignore)).toEqual([]);
  });
});

describe('the Dockerfile checks', () => {
  const service = { name: 'billing', port: 3007 };
  const good = readFileSync(join(workspaceRoot, 'templates/shared/Dockerfile.hbs'), 'utf8')
    .replaceAll('{{name}}', 'billing')
    .replaceAll('{{packageName}}', '@keyless/billing')
    .replaceAll('{{port}}', '3007');

  it('pass the generator’s Dockerfile template (so each failure below has one cause)', () => {
    expect(dockerfileProblems(good, service)).toEqual([]);
  });

  it.each([
    ['an older Node', ['FROM node:24-slim AS runtime', 'FROM node:20 AS runtime'], /not node:24/],
    ['a single stage', ['FROM node:24-slim AS build', '#'], /1 FROM stage/],
    ['root in the final stage', ['USER node', 'USER root'], /runs as USER root/],
    ['no USER at all', ['USER node', ''], /runs as root \(no USER\)/],
    ['another service’s build', ['nx build @keyless/billing', 'nx build @keyless/api'], /nx build/],
    ['a full install', ['npm ci --omit=dev', 'npm ci'], /npm ci --omit=dev/],
    ['another entry point', ['billing/dist/main.js"]', 'billing/src/main.ts"]'], /ends with/],
    ['a build argument', ['WORKDIR /repo', 'ARG TOKEN\nWORKDIR /repo'], /declares an ARG/],
    [
      'a secrets file',
      ['WORKDIR /app', 'WORKDIR /app\nCOPY secrets.json ./'],
      /looks like a secret/,
    ],
    ['an extra ENV', ['ENV NODE_ENV', 'ENV LOG_LEVEL=info\nENV NODE_ENV'], /sets ENV LOG_LEVEL/],
    ['another port', ['ENV PORT=3007', 'ENV PORT=8080'], /does not set ENV PORT=3007/],
    ['a HEALTHCHECK', ['USER node', 'USER node\nHEALTHCHECK CMD true'], /HEALTHCHECK/],
  ])('fail on %s', (_what, [from, to], problem) => {
    const bad = good.replace(from ?? '', to ?? '');
    expect(bad).not.toBe(good);
    expect(dockerfileProblems(bad, service)).toEqual([expect.stringMatching(problem)]);
  });

  it('fail on a .dockerignore that lets local state into the context', () => {
    expect(dockerignoreProblems('**/node_modules\n.env\n')).toEqual([
      '.dockerignore does not list .local-azure',
      '.dockerignore does not list .env.*',
      '.dockerignore does not list .azure',
    ]);
  });
});
