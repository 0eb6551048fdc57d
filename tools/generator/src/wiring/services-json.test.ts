import { storageNamesFor } from '@keyless/registry';
import { describe, expect, it } from 'vitest';
import { addRegistryService } from './services-json.ts';

const before = `${JSON.stringify({ services: [{ name: 'api', kind: 'api', port: 3000, description: 'a' }] }, null, 2)}\n`;

describe('addRegistryService', () => {
  it('appends a worker with its own queues and container, keeping the others as they were', () => {
    const after = JSON.parse(
      addRegistryService(before, {
        name: 'digest',
        kind: 'worker',
        port: 3001,
        description: 'd',
        ...storageNamesFor('digest'),
      }),
    ) as { services: unknown[] };
    expect(after.services).toEqual([
      { name: 'api', kind: 'api', port: 3000, description: 'a' },
      {
        name: 'digest',
        kind: 'worker',
        port: 3001,
        description: 'd',
        queue: 'digest-jobs',
        poisonQueue: 'digest-poison',
        resultsContainer: 'digest-results',
      },
    ]);
  });

  it('leaves the entries already there byte for byte, whatever the order of their fields', () => {
    const own = `${JSON.stringify({ services: [{ port: 3000, name: 'api', description: 'a', kind: 'api' }] }, null, 2)}\n`;
    const after = addRegistryService(own, {
      name: 'other',
      kind: 'api',
      port: 3001,
      description: 'o',
    });
    expect(after.startsWith(own.slice(0, own.lastIndexOf('}\n  ]')))).toBe(true);
    expect(after).toContain('"name": "other",\n      "kind": "api",\n      "port": 3001');
  });

  it('refuses an entry the registry would refuse, naming the field', () => {
    expect(() =>
      addRegistryService(before, { name: 'other', kind: 'api', port: 3000, description: 'o' }),
    ).toThrow(/services\.1\.port: port 3000 is already used by service "api"/);
  });
});
