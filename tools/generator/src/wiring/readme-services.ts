/**
 * The service's row in the root README's services table, between `<!-- services:start -->` and
 * `<!-- services:end -->`. Only the table is rewritten (and formatted); the rest of the README is
 * left byte for byte.
 */
import { format } from 'prettier';

export interface ReadmeService {
  name: string;
  kind: string;
  port: number;
  description: string;
}

const start = '<!-- services:start -->';
const end = '<!-- services:end -->';

export async function addReadmeService(text: string, service: ReadmeService): Promise<string> {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) {
    throw new Error(
      `README.md has no services table between ${start} and ${end}; put the markers back around it and generate again.`,
    );
  }
  const table = text.slice(from + start.length, to).trim();
  const cell = (value: string) => value.replaceAll('|', '\\|');
  const row = `| [\`${service.name}\`](apps/${service.name}) | ${service.kind} | ${service.port} | ${cell(service.description)} |`;
  const formatted = await format(`${table}\n${row}\n`, { parser: 'markdown' });
  // Blank lines around the table, as Prettier writes them, so the README stays format-clean.
  return `${text.slice(0, from + start.length)}\n\n${formatted}\n${text.slice(to)}`;
}
