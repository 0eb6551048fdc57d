/** One problem a check found: where, and what to do about it. */
export interface Finding {
  /** The check's name (`key-auth`, `role-assignments`, ...). */
  readonly check: string;
  /** File relative to infra/ (or the repository root for azure.yaml and the local config). */
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings
    .map(
      (finding) =>
        `${finding.file}${finding.line ? `:${finding.line}` : ''} [${finding.check}] ${finding.message}`,
    )
    .join('\n');
}
