/** Building a service's image from its own Dockerfile, measuring it, and running it. */
import type { Service } from '@keyless/registry';
import { join } from 'node:path';
import {
  buildah,
  buildahCommand,
  buildahStreaming,
  imageConfig,
  folderBytes,
  imageSize,
  withMountedImage,
} from './buildah.ts';
import { dependencyClosure } from './dependency-closure.ts';
import { appDir, imageProblems, runtimePackages } from './image-checks.ts';
import { ServiceProcess } from './service-process.ts';
import { baseReference } from './stand-in.ts';

export const imageReference = (service: Pick<Service, 'name'>) =>
  `localhost/keyless-${service.name}:latest`;

/**
 * `buildah bud` of `apps/<name>/Dockerfile` with the repository root as the context, as
 * `azd deploy` builds it: no build arguments, no secrets, no registry (`--pull=never`).
 * `--layers` keeps each step's layer, so the services share the install layer.
 */
export async function buildImage(workspaceRoot: string, service: Service): Promise<number> {
  const started = Date.now();
  await buildahStreaming([
    'bud',
    '--layers',
    '--isolation',
    'chroot',
    '--network',
    'host',
    '--pull=never',
    '--file',
    join(workspaceRoot, 'apps', service.name, 'Dockerfile'),
    '--tag',
    imageReference(service),
    workspaceRoot,
  ]);
  return (Date.now() - started) / 1000;
}

async function diffIds(reference: string): Promise<string[]> {
  const inspected = JSON.parse(await buildah(['inspect', '--type', 'image', reference])) as {
    OCIv1?: { rootfs?: { diff_ids?: string[] } };
  };
  return inspected.OCIv1?.rootfs?.diff_ids ?? [];
}

export interface ImageReport {
  readonly service: Service;
  readonly reference: string;
  readonly imageBytes: number;
  readonly baseBytes: number;
  /** The app folder (WORKDIR): everything the Dockerfile put on top of Node. */
  readonly runtimeBytes: number;
  readonly installedPackages: string[];
  readonly bundledPackages: string[];
  readonly problems: string[];
}

export async function inspectImage(workspaceRoot: string, service: Service): Promise<ImageReport> {
  const reference = imageReference(service);
  const [config, baseConfig, layers, baseLayers] = await Promise.all([
    imageConfig(reference),
    imageConfig(baseReference),
    diffIds(reference),
    diffIds(baseReference),
  ]);
  const onBase =
    baseLayers.length > 0 && baseLayers.every((layer, index) => layers[index] === layer);
  return withMountedImage(reference, async (root) => {
    const image = {
      service,
      config,
      baseConfig,
      onBase,
      root,
      allowedPackages: dependencyClosure(workspaceRoot, service.name),
      // The Dockerfiles build in /repo; the map's sources resolve the same way in this checkout.
      bundleSourceDir: join(workspaceRoot, 'apps', service.name, 'dist'),
    };
    const packages = await runtimePackages(image);
    return {
      service,
      reference,
      imageBytes: await folderBytes(root),
      baseBytes: await imageSize(baseReference),
      runtimeBytes: await folderBytes(join(root, appDir(image))),
      installedPackages: packages.installed,
      bundledPackages: packages.bundled,
      problems: await imageProblems(image),
    };
  });
}

export interface RunningImage {
  readonly process: ServiceProcess;
  stop(): Promise<void>;
}

/**
 * Starts the image as Container Apps would (its own CMD, user and WORKDIR) with `buildah run`
 * on the host's network, with `env` and the folders in `mounts` (read-only, same path).
 */
export async function runImage(
  service: Service,
  env: Record<string, string>,
  mounts: readonly string[],
): Promise<RunningImage> {
  const reference = imageReference(service);
  const config = await imageConfig(reference);
  const command = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  const container = (await buildah(['from', '--pull=never', '--quiet', reference])).trim();
  const child = new ServiceProcess(
    buildahCommand[0],
    [
      ...buildahCommand.slice(1),
      'run',
      '--isolation',
      'chroot',
      '--network',
      'host',
      ...mounts.flatMap((dir) => ['--volume', `${dir}:${dir}:ro`]),
      ...Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
      container,
      '--',
      ...command,
    ],
    { group: true },
  );
  return {
    process: child,
    async stop() {
      await child.stop();
      await buildah(['rm', container]).catch(() => undefined);
    },
  };
}
