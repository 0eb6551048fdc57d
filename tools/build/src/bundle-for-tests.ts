/**
 * A service's bundle for its conformance tests: the very build its image runs (`bundleService`),
 * into a folder of its own, so the tests drive the code that ships. A bundled service also starts
 * in about half the CPU time of `src/main.ts`, and the suites start dozens.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { bundleService } from './bundle-service.ts';

export interface TestBundle {
  /** Absolute path of the bundled entry point, to run with `node`. */
  readonly main: string;
  /** Deletes the bundle's folder. */
  remove(): Promise<void>;
}

/** Bundles `entry` (a service's absolute `src/main.ts` path) into a new temporary folder. */
export async function bundleForTests(entry: string): Promise<TestBundle> {
  // The service's folder name, so a leftover folder says whose it was.
  const service = basename(dirname(dirname(entry)));
  const outdir = await mkdtemp(join(tmpdir(), `keyless-bundle-${service}-`));
  const remove = () => rm(outdir, { recursive: true, force: true });
  try {
    // No source map: Node would parse it at every start, and the services run without
    // --enable-source-maps in the suites, which never read a mapped stack trace.
    const { outfile } = await bundleService({ entry, outdir, sourcemap: false });
    return { main: outfile, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
