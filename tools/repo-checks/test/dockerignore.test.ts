import { readRegistry } from '@keyless/registry';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerignoreProblems } from '../src/dockerignore-checks.ts';
import { workspaceRoot } from './workspace.ts';

// Every service in services.json, so the ones `npm run gen` adds are checked without a test of their own.
const services = readRegistry(workspaceRoot).services;

describe('the services', () => {
  it('each have a Dockerfile (what the image build and azd deploy build from)', () => {
    expect(services.length).toBeGreaterThan(0);
    const missing = services
      .map((service) => `apps/${service.name}/Dockerfile`)
      .filter((path) => !existsSync(join(workspaceRoot, path)));
    expect(missing).toEqual([]);
  });
});

describe('the build context', () => {
  it('leaves local state, env files and node_modules out (.dockerignore)', () => {
    const dockerignore = readFileSync(join(workspaceRoot, '.dockerignore'), 'utf8');
    expect(dockerignoreProblems(dockerignore)).toEqual([]);
  });

  it('is found wanting when .dockerignore lets local state in, naming each entry', () => {
    expect(dockerignoreProblems('**/node_modules\n**/.env\n.nx\n')).toEqual([
      '.dockerignore does not list .local-azure',
      '.dockerignore does not list **/.env.*',
      '.dockerignore does not list .azure',
    ]);
  });
});
