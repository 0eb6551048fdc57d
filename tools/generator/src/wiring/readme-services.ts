/**
 * The root README's services table, between `<!-- services:start -->` and `<!-- services:end -->`,
 * rendered whole from services.json (so it cannot drift from it) and formatted as Prettier
 * writes it. The rest of the README is left byte for byte.
 */
import type { Registry } from '@keyless/registry';
import { format } from 'prettier';

const start = '<!-- services:start -->';
const end = '<!-- services:end -->';

export async function renderReadmeServices(text: string, registry: Registry): Promise<string> {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) {
    throw new Error(
      `README.md has no services table between ${start} and ${end}; put the markers back around it and generate again.`,
    );
  }
  const cell = (value: string) => value.replaceAll('|', '\\|');
  const rows = registry.services.map(
    (service) =>
      `| [\`${service.name}\`](apps/${service.name}) | ${service.kind} | ${service.port} | ${cell(service.description)} |`,
  );
  const table = await format(
    [
      '| service | kind | local port | what it does |',
      '| --- | --- | --- | --- |',
      ...rows,
      '',
    ].join('\n'),
    { parser: 'markdown' },
  );
  // Blank lines around the table, as Prettier writes them, so the README stays format-clean.
  return `${text.slice(0, from + start.length)}\n\n${table}\n${text.slice(to)}`;
}
