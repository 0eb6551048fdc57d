/** The size table printed after the images are built. */
import type { ImageReport } from './images.ts';

/** What the runtime held before the images shipped only the bundle (issue 14, `npm ci --omit=dev --workspace`). */
export const before = { runtimeMegabytes: 449, packages: 257 } as const;

export const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(1);

export function sizeTable(
  reports: readonly ImageReport[],
  checks: ReadonlyMap<string, string>,
): string {
  const rows = [
    [
      'service',
      'image MB',
      'base MB',
      'runtime MB',
      'node_modules packages',
      'bundled packages',
      'check',
    ],
    ...reports.map((report) => [
      report.service.name,
      megabytes(report.imageBytes),
      megabytes(report.baseBytes),
      megabytes(report.runtimeBytes),
      String(report.installedPackages.length),
      String(report.bundledPackages.length),
      checks.get(report.service.name) ?? 'not run',
    ]),
    ['before', '', '', String(before.runtimeMegabytes), String(before.packages), '', 'issue 14'],
  ];
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
