/**
 * What must hold for a built image, checked on the image itself (its configuration and its
 * filesystem), not on the Dockerfile's text. Each check returns its problems; none means it passes.
 */
import type { Service } from '@keyless/registry';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { ImageConfig } from './buildah.ts';
import { packagesOfSources } from './bundle-packages.ts';

export interface BuiltImage {
  readonly service: Service;
  readonly config: ImageConfig;
  /** The configuration of node:24-slim, which the Dockerfile builds on. */
  readonly baseConfig: ImageConfig;
  /** Whether the image's layers start with node:24-slim's. */
  readonly onBase: boolean;
  /** The image's root folder (a mounted container, or a scratch copy in tests). */
  readonly root: string;
  /** Packages the service may import at run time (its dependency closure). */
  readonly allowedPackages: ReadonlySet<string>;
  /** Where the bundle was built inside the image build, to resolve its source map on this host. */
  readonly bundleSourceDir: string;
}

export interface ImageCheck {
  readonly title: string;
  problems(image: BuiltImage): string[] | Promise<string[]>;
}

function envOf(config: ImageConfig): Map<string, string> {
  return new Map(
    (config.Env ?? []).map((entry) => {
      const at = entry.indexOf('=');
      return [entry.slice(0, at), entry.slice(at + 1)] as const;
    }),
  );
}

/** The variables the Dockerfile set on top of node:24-slim's. */
function addedEnv(image: BuiltImage): Map<string, string> {
  const base = envOf(image.baseConfig);
  return new Map([...envOf(image.config)].filter(([name, value]) => base.get(name) !== value));
}

const secretish =
  /api[-_]?key|account[-_]?key|secret|password|passwd|token|connection[-_]?string|sas|[?&]sig=/i;

/** Names that must never be in an image: local state, credentials, tests and benchmarks. */
const forbidden: ReadonlyArray<[RegExp, string]> = [
  [/^\.env(\..*)?$/, 'an env file'],
  [/^\.local-azure$/, 'the local stack’s state'],
  [/^\.azure$/, 'azd’s environment'],
  [/^\.nx$/, 'the Nx cache'],
  [/^\.npmrc$/, 'an npm config (may hold a token)'],
  [/^\.git$/, 'the git repository'],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, 'a test file'],
  [/^(test|tests|__tests__|bench)$/, 'tests or benchmarks'],
];

async function forbiddenEntries(root: string, dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    const path = posix.join(dir, entry.name);
    const hit = forbidden.find(([pattern]) => pattern.test(entry.name));
    if (hit) found.push(`${path} (${hit[1]})`);
    else if (entry.isDirectory()) found.push(...(await forbiddenEntries(root, path)));
  }
  return found;
}

/** Top-level packages under every node_modules in the app folder. */
async function installedPackages(root: string, dir: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = posix.join(dir, entry.name);
    if (entry.name !== 'node_modules') {
      names.push(...(await installedPackages(root, path)));
      continue;
    }
    for (const pkg of await readdir(join(root, path), { withFileTypes: true })) {
      if (pkg.name.startsWith('.') || !pkg.isDirectory()) continue;
      const scoped = pkg.name.startsWith('@')
        ? (await readdir(join(root, path, pkg.name))).map((inner) => `${pkg.name}/${inner}`)
        : [pkg.name];
      names.push(...scoped);
      for (const name of scoped) {
        if (existsSync(join(root, path, name, 'node_modules'))) {
          names.push(...(await installedPackages(root, posix.join(path, name))));
        }
      }
    }
  }
  return names;
}

/** The packages whose code is bundled into the app, read from the `sources` of its source maps (`*.map`). */
async function bundledPackages(image: BuiltImage, appDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(join(image.root, appDir))) {
    if (!entry.endsWith('.map')) continue;
    const map = JSON.parse(await readFile(join(image.root, appDir, entry), 'utf8')) as {
      sources?: string[];
    };
    names.push(...packagesOfSources(map.sources ?? [], image.bundleSourceDir));
  }
  return names;
}

export function appDir(image: Pick<BuiltImage, 'config'>): string {
  return image.config.WorkingDir ?? '/';
}

/** Every package inside the image's app folder, installed or bundled, sorted and unique. */
export async function runtimePackages(
  image: BuiltImage,
): Promise<{ installed: string[]; bundled: string[] }> {
  const dir = appDir(image);
  return {
    installed: [...new Set(await installedPackages(image.root, dir))].sort(),
    bundled: [...new Set(await bundledPackages(image, dir))].sort(),
  };
}

export const imageChecks: readonly ImageCheck[] = [
  {
    title: 'is built on node:24-slim',
    problems(image) {
      return image.onBase ? [] : ['its layers do not start with node:24-slim’s'];
    },
  },
  {
    title: 'runs as a non-root user',
    problems({ config }) {
      const user = (config.User ?? '').split(':')[0] ?? '';
      return ['', 'root', '0'].includes(user)
        ? [
            `runs as ${user === '' ? 'root (no USER)' : user}; end the runtime stage with "USER node"`,
          ]
        : [];
    },
  },
  {
    title: 'listens on all interfaces and on its registry port inside the image',
    problems(image) {
      const env = addedEnv(image);
      const problems: string[] = [];
      if (env.get('HOST') !== '0.0.0.0') {
        problems.push(
          `HOST is ${env.get('HOST') ?? 'not set'}; set ENV HOST=0.0.0.0 (the code's default is loopback, which Container Apps cannot reach)`,
        );
      }
      const port = String(image.service.port);
      if (env.get('PORT') !== port) {
        problems.push(`PORT is ${env.get('PORT') ?? 'not set'}; services.json says ${port}`);
      }
      if (!Object.keys(image.config.ExposedPorts ?? {}).includes(`${port}/tcp`)) {
        problems.push(`does not EXPOSE ${port}`);
      }
      return problems;
    },
  },
  {
    title: 'carries no secrets in its environment and no HEALTHCHECK',
    problems(image) {
      const problems = [...addedEnv(image)]
        .filter(([name, value]) => secretish.test(name) || secretish.test(value))
        .map(
          ([name]) =>
            `sets ${name}, which looks like a secret; the identity comes from Container Apps`,
        );
      if (image.config.Healthcheck) {
        problems.push('has a HEALTHCHECK; Container Apps probes /healthz and /readyz instead');
      }
      return problems;
    },
  },
  {
    title: 'starts a file that is in the image',
    problems(image) {
      const command = [...(image.config.Entrypoint ?? []), ...(image.config.Cmd ?? [])];
      const script = command.slice(1).find((arg) => !arg.startsWith('-'));
      if (command[0] !== 'node' || !script) {
        return [`CMD is ${JSON.stringify(command)}; expected ["node", …, "<file>.mjs"]`];
      }
      return existsSync(join(image.root, posix.resolve(appDir(image), script)))
        ? []
        : [`CMD runs ${script}, which is not in ${appDir(image)}`];
    },
  },
  {
    title: 'holds no env files, local state, credentials, tests or benchmarks',
    async problems(image) {
      return (await forbiddenEntries(image.root, appDir(image))).map((entry) => `holds ${entry}`);
    },
  },
  {
    title: 'ships only packages the service imports',
    async problems(image) {
      const { installed, bundled } = await runtimePackages(image);
      const problems = installed
        .filter((name) => !image.allowedPackages.has(name))
        .map((name) => `installs ${name}, which ${image.service.name} does not depend on`);
      problems.push(
        ...bundled
          .filter((name) => !image.allowedPackages.has(name))
          .map((name) => `bundles ${name}, which ${image.service.name} does not depend on`),
      );
      return problems;
    },
  },
];

/** Every problem of every check, each prefixed with the check's title. */
export async function imageProblems(image: BuiltImage): Promise<string[]> {
  const problems: string[] = [];
  for (const check of imageChecks) {
    for (const problem of await check.problems(image)) problems.push(`${check.title}: ${problem}`);
  }
  return problems;
}
