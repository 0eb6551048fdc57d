import { describe, expect, it } from 'vitest';
import { addLockfileWorkspace } from './package-lock.ts';

const lock = JSON.stringify({
  packages: {
    '': { name: 'root' },
    'apps/api': { name: '@keyless/api' },
    'node_modules/@keyless/api': { resolved: 'apps/api', link: true },
    'node_modules/@keyless/roles': { resolved: 'packages/roles', link: true },
    'node_modules/zod': { version: '4.0.0' },
  },
});

describe('addLockfileWorkspace', () => {
  it('adds the workspace and its link in npm’s sorted order, leaving other entries alone', () => {
    const result = JSON.parse(
      addLockfileWorkspace(lock, 'apps/billing', {
        name: '@keyless/billing',
        version: '0.0.0',
        dependencies: { zod: '^4.0.0' },
      }),
    ) as { packages: Record<string, unknown> };
    expect(Object.keys(result.packages)).toEqual([
      '',
      'apps/api',
      'apps/billing',
      'node_modules/@keyless/api',
      'node_modules/@keyless/billing',
      'node_modules/@keyless/roles',
      'node_modules/zod',
    ]);
    expect(result.packages['node_modules/@keyless/billing']).toEqual({
      resolved: 'apps/billing',
      link: true,
    });
  });

  it('refuses a dependency the workspace has not installed, and says to run npm install', () => {
    expect(() =>
      addLockfileWorkspace(lock, 'apps/billing', {
        name: '@keyless/billing',
        version: '0.0.0',
        dependencies: { lodash: '^4.0.0' },
      }),
    ).toThrow(/no entry for lodash; run `npm install`/);
  });
});
