import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { applyChangeset } from './changeset.ts';
import type { Change } from './changeset.ts';

/** A regenerate change whose command writes the variable FROM_BASE it sees into out.txt. */
function printsEnv(): Change {
  return {
    type: 'regenerate',
    files: [{ path: 'out.txt', before: undefined }],
    command: [
      process.execPath,
      '-e',
      "require('fs').writeFileSync('out.txt', `${process.env.FROM_BASE}`)",
    ],
    label: 'print env',
  };
}

async function workspace(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'changeset-'));
  onTestFinished(() => rm(root, { recursive: true, force: true }));
  return root;
}

describe('a regenerate command', () => {
  it('runs in the environment it is given', async () => {
    const root = await workspace();
    await applyChangeset(
      root,
      { changes: [printsEnv()] },
      { env: { ...process.env, FROM_BASE: 'base' } },
    );
    expect(await readFile(join(root, 'out.txt'), 'utf8')).toBe('base');
  });
});
