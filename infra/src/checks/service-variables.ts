import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BicepType } from 'bicep-types';
import { expectedEnvironment, expectedOutputs, variablesNotFromInfra } from '../contract.ts';
import type { Finding } from '../findings.ts';

const architecturePath = 'docs/ARCHITECTURE.md';
const section = '## Environment a service receives';

/** The variable names in the first column of ARCHITECTURE.md's "Environment a service receives" table. */
export function documentedVariables(markdown: string): string[] {
  const start = markdown.indexOf(section);
  if (start === -1) return [];
  const end = markdown.indexOf('\n## ', start + section.length);
  const rows = markdown
    .slice(start, end === -1 ? undefined : end)
    .split('\n')
    .filter((line) => line.startsWith('|'));
  // Skip the header and the |---| separator; the first cell lists one or more `VARIABLE`s.
  return rows
    .slice(2)
    .flatMap((row) =>
      [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map(
        (match) => match[1] ?? '',
      ),
    );
}

// Per-service variables the Container App sets itself; the rest must also be main.bicep outputs so
// that the .env for local runs against Azure has them.
const perService = new Set(['AZURE_CLIENT_ID', 'PORT', 'AZURE_OPENAI_API_VERSION']);

/**
 * Cross-checks the contract with what @keyless/auth reads (ARCHITECTURE.md's table): each variable
 * is given to Container Apps, provided by the platform or local-only, and shared ones are outputs.
 */
export function checkServiceVariables(repoRoot: string, types: readonly BicepType[]): Finding[] {
  const findings: Finding[] = [];
  const report = (message: string) =>
    findings.push({ check: 'service-variables', file: architecturePath, message });
  const documented = documentedVariables(readFileSync(join(repoRoot, architecturePath), 'utf8'));
  if (documented.length === 0) {
    report(
      `the "${section}" table is missing or empty; the infra cannot be checked against the variables the services read.`,
    );
    return findings;
  }
  const given = new Set(
    [...expectedEnvironment(types, 'api'), ...expectedEnvironment(types, 'worker')].map(
      (variable) => variable.name,
    ),
  );
  const outputs = expectedOutputs(types);
  for (const name of documented) {
    if (name in variablesNotFromInfra) continue;
    if (!given.has(name)) {
      report(
        `${name} is read by the services but no Container App receives it; add it to serviceEnvironment in infra/src/contract.ts and to app/<kind>.bicep, or to variablesNotFromInfra with the reason.`,
      );
    } else if (!perService.has(name) && !outputs.includes(name)) {
      report(
        `${name} is not a main.bicep output, so the .env for local runs against Azure lacks it; add the output.`,
      );
    }
  }
  for (const name of given) {
    if (!documented.includes(name)) {
      report(
        `the infra sets ${name}, which ARCHITECTURE.md does not list; document it or stop setting it.`,
      );
    }
  }
  return findings;
}
