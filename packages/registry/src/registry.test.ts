import { describe, expect, it } from 'vitest';
import { parseRegistry, readRegistry, RegistryError } from './registry.ts';
import { findWorkspaceRoot } from './workspace-root.ts';
import { storageNamesFor } from './names.ts';

const worker = {
  name: 'digest',
  kind: 'worker',
  port: 3002,
  description: 'd',
  ...storageNamesFor('digest'),
};

describe('the service registry', () => {
  it('reads the repository’s own services.json', () => {
    const root = findWorkspaceRoot(import.meta.dirname);
    expect(root).toBeDefined();
    const names = readRegistry(root!).services.map((s) => s.name);
    expect(names).toContain('api');
    expect(names).toContain('worker');
  });

  it('accepts an api and a worker with its own queues', () => {
    const registry = parseRegistry({
      services: [{ name: 'api', kind: 'api', port: 3000, description: 'a' }, worker],
    });
    expect(registry.services[1]).toMatchObject({
      queue: 'digest-jobs',
      poisonQueue: 'digest-poison',
    });
  });

  it('reports every problem at once, naming the field, with a fix', () => {
    let error: unknown;
    try {
      parseRegistry({
        services: [
          { name: 'Bad_Name', kind: 'api', port: 3000, description: 'a' },
          { name: 'w', kind: 'worker', port: 3000, description: 'b' },
        ],
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RegistryError);
    const problems = (error as RegistryError).problems.join('\n');
    expect(problems).toContain('services.0.name');
    expect(problems).toContain('services.1.queue');
    expect((error as RegistryError).fix).toContain('npm run gen');
  });

  it('refuses two services with the same name or port', () => {
    expect(() => parseRegistry({ services: [worker, { ...worker }] })).toThrow(
      /already used by service "digest"/,
    );
  });

  it('refuses an unknown kind and unknown fields', () => {
    expect(() =>
      parseRegistry({ services: [{ name: 'x1', kind: 'cron', port: 1, description: 'c' }] }),
    ).toThrow(RegistryError);
    expect(() =>
      parseRegistry({
        services: [{ name: 'x1', kind: 'api', port: 1, description: 'c', extra: 1 }],
      }),
    ).toThrow(/extra|Unrecognized/);
  });

  it('says which file it could not read', () => {
    expect(() => readRegistry('/nonexistent-root')).toThrow(/services\.json.*cannot be read/);
  });
});

describe('the model deployments', () => {
  it('reads infra/models.json: a chat and an embedding deployment', async () => {
    const { readModels } = await import('./models.ts');
    const models = readModels(findWorkspaceRoot(import.meta.dirname)!);
    expect(models.chat.deployment).toBeTruthy();
    expect(models.embedding.capacity).toBeGreaterThan(0);
  });

  it('names the file it cannot read', async () => {
    const { readModels } = await import('./models.ts');
    expect(() => readModels('/nonexistent-root')).toThrow(/infra\/models\.json/);
  });
});
