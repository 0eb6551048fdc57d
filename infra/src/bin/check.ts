// `npm run check -w @keyless/infra`: every offline check, printed; exit 1 on any finding.
import { join } from 'node:path';
import { checkInfra } from '../check-infra.ts';
import { formatFindings } from '../findings.ts';

const infraDir = join(import.meta.dirname, '..', '..');
const findings = checkInfra({ infraDir, repoRoot: join(infraDir, '..') });
if (findings.length > 0) {
  console.error(formatFindings(findings));
  process.exitCode = 1;
} else {
  console.log('infra: all offline checks pass');
}
