import { readFile } from 'node:fs/promises';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { addReadmeService } from './readme-services.ts';

const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
const billing = { name: 'billing', kind: 'api', port: 3002, description: 'Bills | invoices' };

describe('addReadmeService', () => {
  it("adds the service's row to the table between the markers", async () => {
    const updated = await addReadmeService(readme, billing);
    const table = updated.slice(
      updated.indexOf('<!-- services:start -->'),
      updated.indexOf('<!-- services:end -->'),
    );
    expect(table).toMatch(
      /\| \[`billing`\]\(apps\/billing\) +\| api +\| 3002 +\| Bills \\\| invoices +\|/,
    );
    expect(table).toContain('[`worker`](apps/worker)');
  });

  it('leaves the README exactly as Prettier would format it', async () => {
    const updated = await addReadmeService(readme, billing);
    expect(updated).toBe(await format(updated, { parser: 'markdown' }));
  });

  it('leaves everything outside the table byte for byte', async () => {
    const updated = await addReadmeService(readme, billing);
    const before = readme.slice(0, readme.indexOf('<!-- services:start -->'));
    const after = readme.slice(readme.indexOf('<!-- services:end -->'));
    expect(updated.startsWith(before)).toBe(true);
    expect(updated.endsWith(after)).toBe(true);
  });

  it('refuses a README whose markers are gone, saying how to fix it', async () => {
    await expect(addReadmeService('# no table here\n', billing)).rejects.toThrow(
      /no services table between <!-- services:start --> and <!-- services:end -->; put the markers back/,
    );
  });
});
