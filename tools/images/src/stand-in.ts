/**
 * A local stand-in for `node:24-slim`, since no container registry is reachable here: Debian's
 * minbase (debootstrap, from this machine's own apt mirror), this project's Node 24 binary, npm,
 * a `node` user (uid 1000) and the npm settings this machine needs to reach its registry (so
 * `npm ci` works inside the build). Built once and cached in buildah's storage under a tag that
 * hashes the recipe, so a change to any ingredient rebuilds it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import {
  cp,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  realpath,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { mirrorFor, parseListFile, parseSourcesFile } from './apt-sources.ts';
import type { AptSource } from './apt-sources.ts';
import { buildah, imageExists } from './buildah.ts';

const execFileAsync = promisify(execFile);

/** What the Dockerfiles' `FROM` names; buildah resolves it in local storage (`--pull=never`). */
export const baseReference = 'docker.io/library/node:24-slim';
export const suite = 'bookworm';

/** npm settings that decide how npm reaches its registry; never credentials. */
const npmSettings = ['registry', 'cafile', 'strict-ssl', 'proxy', 'https-proxy', 'noproxy'];

export interface StandInRecipe {
  readonly suite: string;
  readonly mirror: string;
  readonly nodeBinary: string;
  readonly nodeVersion: string;
  readonly npmDir: string;
  readonly npmVersion: string;
  readonly npmConfig: Record<string, string>;
  /** The CA bundle npm's `cafile` names, also given to Node as NODE_EXTRA_CA_CERTS. */
  readonly caFile?: string;
  readonly caDigest?: string;
  /** The code that makes it: changing how the stand-in is made changes its tag. */
  readonly recipeDigest: string;
  readonly tag: string;
}

export class StandInError extends Error {
  readonly code: string;
  readonly fix: string;
  constructor(code: string, message: string, fix: string) {
    super(message);
    this.name = 'StandInError';
    this.code = code;
    this.fix = fix;
  }
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

async function machineAptSources(): Promise<AptSource[]> {
  const sources: AptSource[] = [];
  const list = '/etc/apt/sources.list';
  if (existsSync(list)) sources.push(...parseListFile(await readFile(list, 'utf8')));
  const dir = '/etc/apt/sources.list.d';
  for (const name of existsSync(dir) ? (await readdir(dir)).sort() : []) {
    const text = await readFile(join(dir, name), 'utf8');
    if (name.endsWith('.sources')) sources.push(...parseSourcesFile(text));
    if (name.endsWith('.list')) sources.push(...parseListFile(text));
  }
  return sources;
}

/** The npm on the PATH (the one that installs this project), as its package folder. */
async function npmPackageDir(path: string): Promise<string> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const bin = join(dir, 'npm');
    if (!existsSync(bin)) continue;
    const packageDir = dirname(dirname(await realpath(bin)));
    if (existsSync(join(packageDir, 'package.json'))) return packageDir;
  }
  throw new StandInError(
    'NoNpm',
    'npm is not on the PATH.',
    'Install Node and npm, then run it again.',
  );
}

/**
 * npm's settings as that npm reads them for its own install prefix (<prefix>/lib/node_modules/npm),
 * whichever Node runs this: the project's Node 24 would otherwise look for its global config elsewhere.
 */
async function npmConfig(npmDir: string): Promise<Record<string, string>> {
  const prefix = dirname(dirname(dirname(npmDir)));
  // `npm run` under the project's Node exports npm_config_globalconfig (and prefix) pointing at
  // that Node's prefix, and those variables beat flags: drop them, then name the files.
  const unset = ['globalconfig', 'userconfig', 'prefix', 'global_prefix', 'local_prefix'].flatMap(
    (name) => ['-u', `npm_config_${name}`, '-u', `NPM_CONFIG_${name.toUpperCase()}`],
  );
  const { stdout } = await execFileAsync('env', [
    ...unset,
    'npm',
    'config',
    'get',
    `--prefix=${prefix}`,
    `--globalconfig=${join(prefix, 'etc/npmrc')}`,
    `--userconfig=${join(homedir(), '.npmrc')}`,
    ...npmSettings,
  ]);
  const config: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const [, key, value] = /^([\w-]+)=(.*)$/.exec(line.trim()) ?? [];
    if (key && value && !['null', 'undefined'].includes(value)) config[key] = value;
  }
  return config;
}

/** Reads the ingredients from this machine and hashes them into the stand-in's tag. */
export async function standInRecipe(path: string): Promise<StandInRecipe> {
  const mirror = mirrorFor(await machineAptSources(), suite);
  if (!mirror) {
    throw new StandInError(
      'NoDebianMirror',
      `No apt source on this machine carries Debian ${suite} main, which the stand-in for node:24-slim is made from.`,
      `Add a ${suite} source to /etc/apt/sources.list.d/ (the one your Debian mirror serves).`,
    );
  }
  if (!process.versions.node.startsWith('24.')) {
    throw new StandInError(
      'NotNode24',
      `The stand-in takes this process's Node binary, which is ${process.version}, not 24.`,
      'Run it through npm (npx nx run @keyless/images:build-all), which uses the project’s Node 24.',
    );
  }
  const npmDir = await npmPackageDir(path);
  const npmVersion = (
    JSON.parse(await readFile(join(npmDir, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const config = await npmConfig(npmDir);
  const caFile = config.cafile;
  const caDigest = caFile ? sha256(await readFile(caFile)) : undefined;
  const recipeDigest = sha256(`${assembleRoot.toString()}\n${commit.toString()}`);
  const ingredients = {
    suite,
    mirror,
    nodeVersion: process.version,
    npmVersion,
    config,
    caDigest,
    recipeDigest,
  };
  return {
    suite,
    mirror,
    nodeBinary: process.execPath,
    nodeVersion: process.version,
    npmDir,
    npmVersion,
    npmConfig: config,
    caFile,
    caDigest,
    recipeDigest,
    tag: `localhost/keyless-node-stand-in:${sha256(JSON.stringify(ingredients)).slice(0, 16)}`,
  };
}

/** Lays out the stand-in's root folder. */
async function assembleRoot(recipe: StandInRecipe, root: string): Promise<void> {
  await execFileAsync('debootstrap', ['--variant=minbase', recipe.suite, root, recipe.mirror], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const local = join(root, 'usr/local');
  await mkdir(join(local, 'bin'), { recursive: true });
  await cp(recipe.nodeBinary, join(local, 'bin/node'));
  await cp(recipe.npmDir, join(local, 'lib/node_modules/npm'), { recursive: true });
  await symlink('../lib/node_modules/npm/bin/npm-cli.js', join(local, 'bin/npm'));
  await symlink('../lib/node_modules/npm/bin/npx-cli.js', join(local, 'bin/npx'));
  // npm's global config for the /usr/local prefix, and the CA bundle it names, at the same path.
  const npmrc = Object.entries(recipe.npmConfig).map(([key, value]) => `${key}=${value}`);
  await mkdir(join(local, 'etc'), { recursive: true });
  await writeFile(join(local, 'etc/npmrc'), `${npmrc.join('\n')}\n`);
  if (recipe.caFile) {
    await mkdir(dirname(join(root, recipe.caFile)), { recursive: true });
    await cp(recipe.caFile, join(root, recipe.caFile));
  }
  await cp('/etc/resolv.conf', join(root, 'etc/resolv.conf')).catch(() => undefined);
  await execFileAsync('chroot', [root, 'groupadd', '--gid', '1000', 'node']);
  await execFileAsync('chroot', [
    root,
    'useradd',
    '--uid',
    '1000',
    '--gid',
    'node',
    '--shell',
    '/bin/bash',
    '--create-home',
    'node',
  ]);
  // What the image does not need: apt's package lists and the docs.
  await rm(join(root, 'var/lib/apt/lists'), { recursive: true, force: true });
  await rm(join(root, 'var/cache/apt'), { recursive: true, force: true });
}

/** Commits the root folder as an image with node:24-slim's configuration. */
async function commit(recipe: StandInRecipe, root: string): Promise<void> {
  const container = (await buildah(['from', '--quiet', 'scratch'])).trim();
  try {
    const mount = (await buildah(['mount', container])).trim();
    await execFileAsync('cp', ['-a', `${root}/.`, mount]);
    await buildah(['umount', container]);
    const env = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'];
    if (recipe.caFile) env.push(`NODE_EXTRA_CA_CERTS=${recipe.caFile}`);
    await buildah([
      'config',
      ...env.flatMap((entry) => ['--env', entry]),
      '--cmd',
      'node',
      '--label',
      `keyless.stand-in=${recipe.tag}`,
      container,
    ]);
    await buildah(['commit', '--quiet', container, recipe.tag]);
  } finally {
    await buildah(['rm', container]).catch(() => undefined);
  }
}

export interface StandIn {
  readonly recipe: StandInRecipe;
  /** False when the cached image was reused. */
  readonly built: boolean;
  readonly seconds: number;
}

/** The stand-in for node:24-slim, built if its recipe's tag is not in storage yet. */
/** `path`: the PATH that npm is found on. */
export async function ensureStandIn(path: string): Promise<StandIn> {
  const started = Date.now();
  const recipe = await standInRecipe(path);
  const built = !(await imageExists(recipe.tag));
  if (built) {
    const root = await mkdtemp(join(tmpdir(), 'keyless-stand-in-'));
    try {
      await assembleRoot(recipe, root);
      await commit(recipe, root);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  await buildah(['tag', recipe.tag, baseReference]);
  return { recipe, built, seconds: (Date.now() - started) / 1000 };
}
