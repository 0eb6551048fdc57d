// `npm run check -w @keyless/infra`: compiles and lints infra/ with the real Bicep CLI, evaluates
// the compiled template and prints every keyless policy finding; exit 1 on any diagnostic or finding.
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { locateBicep, noBicepHint } from '../cli/locate.ts';
import { formatFindings } from '../policy/index.ts';
import { verifyInfra } from '../verify.ts';

const infraDir = join(import.meta.dirname, '..', '..');
const cli = locateBicep({
  env: process.env,
  home: homedir(),
  cacheDir: join(infraDir, '.bicep-cli'),
});
if (cli === undefined) {
  console.error(noBicepHint);
  process.exit(1);
}
const result = await verifyInfra(cli.path, { infraDir: process.argv[2] ?? infraDir });
const diagnostics = [...result.buildDiagnostics, ...result.lintDiagnostics];
for (const diagnostic of diagnostics) {
  console.error(
    `${diagnostic.file}(${diagnostic.line},${diagnostic.column}) ${diagnostic.level} ${diagnostic.code}: ${diagnostic.message}`,
  );
}
if (result.findings.length > 0) console.error(formatFindings(result.findings));
console.log(
  `infra: ${execFileSync(cli.path, ['--version'], { encoding: 'utf8' }).trim()}; ${result.buildDiagnostics.length} build and ${result.lintDiagnostics.length} lint diagnostics; ${result.findings.length} policy findings over ${result.snapshot.predictedResources.length} resources`,
);
if (diagnostics.length > 0 || result.findings.length > 0) process.exitCode = 1;
