/**
 * buildah, daemonless, as these machines run it: the vfs storage driver (no overlay mounts
 * needed) and chroot isolation (no user namespaces needed).
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * The command line that runs buildah with the vfs driver, through `env` so the rest of this
 * process's environment is inherited (buildah's `--storage-driver` flag alone does not find the
 * images that the variable stored). bud and run also take `--isolation chroot`.
 */
export const buildahCommand = ['env', 'STORAGE_DRIVER=vfs', 'buildah'] as const;
const [program, ...programArgs] = buildahCommand;

/** Runs buildah and returns its stdout; throws with its stderr on failure. */
export async function buildah(args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(program, [...programArgs, ...args], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`buildah ${args.join(' ')} failed: ${stderr.trim() || String(error)}`, {
      cause: error,
    });
  }
}

/** Runs buildah with its output streamed to ours (long builds show progress). */
export async function buildahStreaming(args: readonly string[]): Promise<void> {
  const child = spawn(program, [...programArgs, ...args], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`buildah ${args.join(' ')} exited with ${code}`);
}

export async function imageExists(reference: string): Promise<boolean> {
  return buildah(['inspect', '--type', 'image', '--format', '{{.FromImageID}}', reference]).then(
    () => true,
    () => false,
  );
}

/** The OCI configuration of an image: what `docker run` would start it with. */
export interface ImageConfig {
  readonly User?: string;
  readonly Env?: string[];
  readonly Cmd?: string[];
  readonly Entrypoint?: string[];
  readonly WorkingDir?: string;
  readonly ExposedPorts?: Record<string, unknown>;
  readonly Healthcheck?: unknown;
}

export async function imageConfig(reference: string): Promise<ImageConfig> {
  const inspected = JSON.parse(await buildah(['inspect', '--type', 'image', reference])) as {
    OCIv1?: { config?: ImageConfig };
    Docker?: { config?: ImageConfig };
  };
  return inspected.OCIv1?.config ?? inspected.Docker?.config ?? {};
}

/** Bytes on disk under a folder (`du -sb`). */
export async function folderBytes(dir: string): Promise<number> {
  const { stdout } = await execFileAsync('du', ['-sb', dir], { maxBuffer: 1024 * 1024 });
  return Number(stdout.split('\t')[0]);
}

/** The image's size in bytes: its whole filesystem, uncompressed (what a replica unpacks). */
export async function imageSize(reference: string): Promise<number> {
  return withMountedImage(reference, (root) => folderBytes(root));
}

/** A working container from the image, mounted: `use` gets its root folder. */
export async function withMountedImage<T>(
  reference: string,
  use: (root: string) => Promise<T>,
): Promise<T> {
  const container = (await buildah(['from', '--pull=never', '--quiet', reference])).trim();
  try {
    const root = (await buildah(['mount', container])).trim();
    return await use(root);
  } finally {
    await buildah(['rm', container]).catch(() => undefined);
  }
}
