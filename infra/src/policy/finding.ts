/** One broken rule: which check, which resource, what is wrong, and what to change. */
export interface Finding {
  readonly check: string;
  /** The resource as the compiled template names it (type and name), or the file at fault. */
  readonly resource: string;
  readonly problem: string;
  readonly fix: string;
}

export function formatFinding(finding: Finding): string {
  return `[${finding.check}] ${finding.resource}: ${finding.problem}\n    fix: ${finding.fix}`;
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings.map(formatFinding).join('\n');
}
