// `npm run check -w @keyless/infra`: compiles and lints infra/ with the real Bicep CLI, evaluates
// the compiled template and prints every keyless policy finding; exit 1 on any diagnostic or finding.
// `npm run check -w @keyless/infra -- <infra dir>` checks another copy (its parent holds services.json).
import { execFileSync } from 'node:child_process';
import { formatFindings } from '../policy/index.ts';
import { verifyInfra } from '../verify.ts';
import { infraDir, requireRepoBicep } from './repo-bicep.ts';

const cli = requireRepoBicep();
// Both ways an api can be deployed: with an Entra app registration (external) and without (internal).
const target = process.argv[2] ?? infraDir;
const [result, withoutAppIds] = await Promise.all([
  verifyInfra(cli.path, { infraDir: target }),
  verifyInfra(cli.path, { infraDir: target, apiAppIds: '', lint: false }),
]);
const diagnostics = [...result.buildDiagnostics, ...result.lintDiagnostics];
for (const diagnostic of diagnostics) {
  console.error(
    `${diagnostic.file}(${diagnostic.line},${diagnostic.column}) ${diagnostic.level} ${diagnostic.code}: ${diagnostic.message}`,
  );
}
const findings = [
  ...new Set(
    [...result.findings, ...withoutAppIds.findings].map((finding) => formatFindings([finding])),
  ),
];
if (findings.length > 0) console.error(findings.join('\n'));
console.log(
  `infra: ${execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim()}; ${result.buildDiagnostics.length} build and ${result.lintDiagnostics.length} lint diagnostics; ${findings.length} policy findings over ${result.snapshot.predictedResources.length} resources`,
);
if (diagnostics.length > 0 || findings.length > 0) process.exitCode = 1;
