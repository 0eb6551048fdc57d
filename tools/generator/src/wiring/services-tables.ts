/**
 * The services tables of the root README and infra/REFERENCE.md, each between
 * `<!-- services:start -->` and `<!-- services:end -->`, rendered whole from services.json by
 * @keyless/registry (infra's `reference:sync` writes the same rows) and formatted as Prettier
 * writes them. Everything outside the tables is left byte for byte.
 */
import {
  readmeServicesTable,
  referenceServicesTable,
  replaceServicesTable,
} from '@keyless/registry';
import type { Registry } from '@keyless/registry';
import { format } from 'prettier';

const formatTable = (table: string) => format(table, { parser: 'markdown' });

export async function renderReadmeServices(text: string, registry: Registry): Promise<string> {
  const table = await formatTable(readmeServicesTable(registry.services));
  return replaceServicesTable(text, table, 'README.md');
}

export async function renderReferenceServices(text: string, registry: Registry): Promise<string> {
  const table = await formatTable(referenceServicesTable(registry.services));
  return replaceServicesTable(text, table, 'infra/REFERENCE.md');
}
