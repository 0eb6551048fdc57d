/** Builds a service's bundle with the same command its image build runs (tools/build). */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `node ../../tools/build/bundle.ts src/main.ts <outdir>` in `apps/<name>`; `main.mjs` lands in outdir. */
export async function bundleInto(
  workspaceRoot: string,
  service: string,
  outdir: string,
): Promise<void> {
  await run(
    process.execPath,
    [join(workspaceRoot, 'tools/build/bundle.ts'), 'src/main.ts', outdir],
    { cwd: join(workspaceRoot, 'apps', service) },
  );
}
