import { readFile } from 'node:fs/promises';
import { parseRegistry, readRegistry, storageNamesFor } from '@keyless/registry';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { renderReadmeServices, renderReferenceServices } from './services-tables.ts';

const root = new URL('../../../../', import.meta.url).pathname;
const readme = await readFile(`${root}README.md`, 'utf8');
const registry = parseRegistry({
  services: [
    { name: 'api', kind: 'api', port: 3000, description: 'Chat' },
    {
      name: 'billing',
      kind: 'worker',
      port: 3002,
      description: 'Bills | invoices',
      ...storageNamesFor('billing'),
    },
  ],
});

const tableOf = (text: string) =>
  text.slice(text.indexOf('<!-- services:start -->'), text.indexOf('<!-- services:end -->'));

describe('renderReadmeServices', () => {
  it('renders one row per service in services.json, and no other', async () => {
    const table = tableOf(await renderReadmeServices(readme, registry));
    expect(table).toMatch(/\| \[`api`\]\(apps\/api\) +\| api +\| 3000 +\| Chat +\|/);
    expect(table).toMatch(
      /\| \[`billing`\]\(apps\/billing\) +\| worker +\| 3002 +\| Bills \\\| invoices +\|/,
    );
    expect(table).not.toContain('[`worker`]');
  });

  it('leaves the README exactly as Prettier would format it', async () => {
    const updated = await renderReadmeServices(readme, registry);
    // The repository's own Prettier settings (its code blocks are formatted with them too).
    const options = await resolveConfig(`${root}README.md`);
    expect(updated).toBe(await format(updated, { ...options, parser: 'markdown' }));
  });

  it('leaves everything outside the table byte for byte', async () => {
    const updated = await renderReadmeServices(readme, registry);
    const before = readme.slice(0, readme.indexOf('<!-- services:start -->'));
    const after = readme.slice(readme.indexOf('<!-- services:end -->'));
    expect(updated.startsWith(before)).toBe(true);
    expect(updated.endsWith(after)).toBe(true);
  });

  it('is what the repository’s own README holds for its services.json', async () => {
    expect(await renderReadmeServices(readme, readRegistry(root))).toBe(readme);
  });

  it('refuses a README whose markers are gone, saying how to fix it', async () => {
    await expect(renderReadmeServices('# no table here\n', registry)).rejects.toThrow(
      /no services table between <!-- services:start --> and <!-- services:end -->; put the markers back/,
    );
  });
});

describe('renderReferenceServices', () => {
  const reference = `${root}infra/REFERENCE.md`;

  it('renders what each service becomes in Azure, a worker with its own queues and container', async () => {
    const table = tableOf(
      await renderReferenceServices(await readFile(reference, 'utf8'), registry),
    );
    expect(table).toMatch(
      /\| billing +\| worker +\| 3002 +\| ca-billing-<token> +\| id-billing-<token> +\| none +\| queue `billing-jobs`, poison `billing-poison`, container `billing-results` +\|/,
    );
    expect(table).not.toMatch(/\| worker +\| worker/);
  });

  it('is what infra/REFERENCE.md holds for the repository’s services.json, once formatted', async () => {
    const text = await readFile(reference, 'utf8');
    const options = await resolveConfig(reference);
    const rendered = await renderReferenceServices(text, readRegistry(root));
    expect(await format(rendered, { ...options, parser: 'markdown' })).toBe(text);
  });

  it('refuses a reference whose markers are gone, naming the file', async () => {
    await expect(renderReferenceServices('# reference\n', registry)).rejects.toThrow(
      /infra\/REFERENCE.md has no services table between <!-- services:start --> and <!-- services:end -->/,
    );
  });
});
