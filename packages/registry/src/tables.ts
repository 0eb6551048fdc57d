/**
 * The services tables the documentation keeps, written from services.json: the root README's and
 * infra/REFERENCE.md's. Each sits between the same two markers, so the generator can rewrite the
 * table alone while infra's `reference:sync` writes the whole reference around the same rows.
 * Plain Markdown; callers format it with the repository's Prettier settings.
 */
import type { Service } from './registry.ts';

export const servicesTableStart = '<!-- services:start -->';
export const servicesTableEnd = '<!-- services:end -->';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const row = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;

/** README.md: what each service is, for a newcomer. */
export function readmeServicesTable(services: readonly Service[]): string {
  return [
    '| service | kind | local port | what it does |',
    '| --- | --- | --- | --- |',
    ...services.map(
      (service) =>
        `| [\`${service.name}\`](apps/${service.name}) | ${service.kind} | ${service.port} | ${cell(service.description)} |`,
    ),
    '',
  ].join('\n');
}

/** infra/REFERENCE.md: what each service becomes in Azure. */
export function referenceServicesTable(services: readonly Service[]): string {
  return [
    '| service | kind | port | Container App | identity | ingress | own storage |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...services.map((service) =>
      row([
        service.name,
        service.kind,
        String(service.port),
        `ca-${service.name}-<token>`,
        `id-${service.name}-<token>`,
        service.kind === 'api'
          ? 'external behind Entra ID with an app registration, else internal'
          : 'none',
        service.kind === 'worker'
          ? `queue \`${service.queue}\`, poison \`${service.poisonQueue}\`, container \`${service.resultsContainer}\``
          : '-',
      ]),
    ),
    '',
  ].join('\n');
}

/** The table between the markers, with blank lines around it as Prettier writes them. */
export function servicesTableSection(table: string): string {
  return `${servicesTableStart}\n\n${table.trimEnd()}\n\n${servicesTableEnd}`;
}

export class MissingServicesTableError extends Error {
  override name = 'MissingServicesTableError';
}

/**
 * `text` with the table between its markers replaced and everything else byte for byte; `file`
 * names the document in the error when its markers are gone.
 */
export function replaceServicesTable(text: string, table: string, file: string): string {
  const from = text.indexOf(servicesTableStart);
  const to = text.indexOf(servicesTableEnd);
  if (from === -1 || to < from) {
    throw new MissingServicesTableError(
      `${file} has no services table between ${servicesTableStart} and ${servicesTableEnd}; put the markers back around it and generate again.`,
    );
  }
  return `${text.slice(0, from)}${servicesTableSection(table)}${text.slice(to + servicesTableEnd.length)}`;
}
