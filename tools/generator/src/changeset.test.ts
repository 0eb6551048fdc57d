import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { applyChangeset } from './changeset.ts';
import type { Change } from './changeset.ts';

/** A regenerate change whose command writes the two variables it sees into out.txt. */
function printsEnv(env?: Record<string, string>): Change {
  return {
    type: 'regenerate',
    files: [{ path: 'out.txt', before: undefined }],
    command: [
      process.execPath,
      '-e',
      "require('fs').writeFileSync('out.txt', `${process.env.FROM_BASE}/${process.env.FROM_CHANGE}`)",
    ],
    label: 'print env',
    ...(env && { env }),
  };
}

async function workspace(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'changeset-'));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  return root;
}

describe('a regenerate command', () => {
  it("runs with its change's variables set over the environment it is given", async () => {
    const root = await workspace();
    await applyChangeset(
      root,
      { changes: [printsEnv({ FROM_CHANGE: 'change' })] },
      { env: { ...process.env, FROM_BASE: 'base', FROM_CHANGE: 'overridden' } },
    );
    expect(await readFile(join(root, 'out.txt'), 'utf8')).toBe('base/change');
  });

  it('runs in the environment it is given when its change sets nothing', async () => {
    const root = await workspace();
    await applyChangeset(
      root,
      { changes: [printsEnv()] },
      { env: { ...process.env, FROM_BASE: 'base' } },
    );
    expect(await readFile(join(root, 'out.txt'), 'utf8')).toBe('base/undefined');
  });
});
