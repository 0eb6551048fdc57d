/** One line of the doctor's checklist. */
export interface CheckLine {
  ok: boolean;
  title: string;
  details?: string[];
  fix?: string;
}

export type Write = (text: string) => void;

/** Prints a line as `✔ title` / `✘ title`, its details indented, and the fix on failure. */
export function printLine(write: Write, line: CheckLine): void {
  write(`${line.ok ? '✔' : '✘'} ${line.title}`);
  for (const detail of line.details ?? []) write(`    ${detail}`);
  if (!line.ok && line.fix) write(`    Fix: ${line.fix}`);
}
