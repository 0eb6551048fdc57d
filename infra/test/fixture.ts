import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkInfra } from '../src/check-infra.ts';
import type { Finding } from '../src/findings.ts';

export const infraDir = join(import.meta.dirname, '..');
export const repoRoot = join(infraDir, '..');

/**
 * A throw-away copy of what the checks read (infra's Bicep and JSON, azure.yaml, the apps'
 * package.json files, the local stack's config, ARCHITECTURE.md), for breaking on purpose.
 */
export function copyRepo(): { repoRoot: string; infraDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'keyless-infra-'));
  const skip = new Set(['node_modules', 'src', 'test', 'out-tsc']);
  cpSync(infraDir, join(root, 'infra'), {
    recursive: true,
    filter: (source) => !skip.has(source.slice(infraDir.length + 1).split('/')[0] ?? ''),
  });
  cpSync(join(repoRoot, 'azure.yaml'), join(root, 'azure.yaml'));
  cpSync(join(repoRoot, 'packages/local-azure/config'), join(root, 'packages/local-azure/config'), {
    recursive: true,
  });
  cpSync(join(repoRoot, 'docs/ARCHITECTURE.md'), join(root, 'docs/ARCHITECTURE.md'));
  for (const app of readdirSync(join(repoRoot, 'apps'))) {
    mkdirSync(join(root, 'apps', app), { recursive: true });
    cpSync(join(repoRoot, 'apps', app, 'package.json'), join(root, 'apps', app, 'package.json'));
  }
  return { repoRoot: root, infraDir: join(root, 'infra') };
}

/** Replaces text in a file of the copy; throws when `from` is absent, so a test cannot break nothing. */
export function edit(root: string, path: string, from: string, to: string): void {
  const full = join(root, path);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
  writeFileSync(full, text.replace(from, to));
}

export function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** The findings of one check on a broken copy: `edit` first, then this. */
export function findingsOf(copy: { repoRoot: string; infraDir: string }, check: string): Finding[] {
  return checkInfra(copy).filter((finding) => finding.check === check);
}
