/**
 * One self-contained ESM file per service: esbuild bundles the entry, the workspace packages it
 * imports (they ship as TypeScript source) and every third-party package, so the image needs no
 * `node_modules`. Anything esbuild cannot follow (a `require` or `import()` of a computed name)
 * fails the build rather than the service at run time.
 */
import { build } from 'esbuild';
import type { Message, Metafile } from 'esbuild';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ownMappingsOnly } from './source-map.ts';

export interface BundleOptions {
  /** Absolute path of the entry (a service's `src/main.ts`). */
  readonly entry: string;
  /** Absolute path of the output folder; `main.mjs` and `main.mjs.map` are written there. */
  readonly outdir: string;
  /**
   * Write `main.mjs.map` (the default): the image's `node --enable-source-maps` maps stack traces
   * back to the sources with it. Tests leave it out, since Node parses it on every start.
   */
  readonly sourcemap?: boolean;
}

export interface BundleResult {
  readonly outfile: string;
  /** How many source files went in. */
  readonly inputs: number;
  readonly metafile: Metafile;
}

/**
 * Bundled CommonJS packages call `require` for Node's built-ins and read `__filename` and
 * `__dirname`, none of which an ES module has; the banner gives them the module's own.
 */
const banner = [
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
  'const require = __bundleCreateRequire(import.meta.url);',
  'const __filename = __bundleFileURLToPath(import.meta.url);',
  "const __dirname = __bundleFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

export class BundleError extends Error {
  readonly code = 'BundleNotSelfContained';
  readonly fix: string;
  readonly entry: string;
  readonly problems: string[];
  constructor(entry: string, problems: string[]) {
    super(
      `${entry} cannot be bundled into one self-contained file:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    this.name = 'BundleError';
    this.entry = entry;
    this.problems = problems;
    this.fix =
      'Import the module by a literal name (not a computed require or import()), or install the package that could not be resolved.';
  }
}

/** A computed require or import() would look for node_modules at run time; the image has none. */
const unbundledLoads = new Set(['unsupported-require-call', 'unsupported-dynamic-import']);

/**
 * Computed loads in code that services never reach, by the file they are in: each entry says why.
 * Anything else fails the build.
 */
export const knownUnreachableLoads: Readonly<Record<string, string>> = {
  'node_modules/express/lib/view.js':
    'loads a template engine for res.render(); services render no views',
};

function isKnownUnreachable(message: Message): boolean {
  const file = message.location?.file.replaceAll('\\', '/') ?? '';
  return Object.keys(knownUnreachableLoads).some((known) => file.endsWith(known));
}

function describe(message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}: ` : '';
  return `${where}${message.text}`;
}

export async function bundleService(options: BundleOptions): Promise<BundleResult> {
  // .mjs: an ES module by its name alone. The image's folder has no package.json, and for a `.js`
  // there Node scans the whole file (7 MB) to guess its format at every start (0.2 s of CPU).
  const outfile = join(options.outdir, 'main.mjs');
  const result = await build({
    entryPoints: [options.entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    banner: { js: banner },
    // Stack traces map back to the sources (node --enable-source-maps); the sources themselves stay
    // out, and so does every mapping into node_modules (ownMappingsOnly).
    sourcemap: options.sourcemap === false ? false : 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    // esbuild reports these at debug level only; raised here so the check below sees them.
    logOverride: Object.fromEntries([...unbundledLoads].map((id) => [id, 'warning'])),
  }).catch((error: unknown) => {
    const errors = (error as { errors?: Message[] }).errors;
    if (errors) throw new BundleError(options.entry, errors.map(describe));
    throw error;
  });
  const unbundled = result.warnings.filter(
    (warning) => unbundledLoads.has(warning.id) && !isKnownUnreachable(warning),
  );
  if (unbundled.length > 0) throw new BundleError(options.entry, unbundled.map(describe));
  if (options.sourcemap !== false) {
    const map = `${outfile}.map`;
    await writeFile(map, ownMappingsOnly(await readFile(map, 'utf8')));
  }
  const inputs = Object.keys(result.metafile.inputs).length;
  return {
    outfile,
    inputs,
    metafile: result.metafile,
  };
}
