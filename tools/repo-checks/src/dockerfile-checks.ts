/**
 * Offline checks of a service's Dockerfile (there is no Docker engine here): the properties that
 * matter for Azure Container Apps. Each check returns its problems; none means it passes.
 */

/** What a Dockerfile is checked against: the service's folder name and its `keyless.port`. */
export interface DockerfileService {
  readonly name: string;
  readonly port: number;
}

export interface DockerfileCheck {
  /** A sentence about the Dockerfile, used as the test name. */
  readonly title: string;
  problems(dockerfile: string, service: DockerfileService): string[];
}

/** The non-empty, non-comment lines, in order. */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

const secretish =
  /api[-_]?key|account_?key|secret|password|connection_?string|sas_?token|[?&]sig=/i;

/** Plain configuration only; the identity and endpoints come from Container Apps at run time. */
const allowedEnvNames = ['NODE_ENV', 'PORT'];

export const dockerfileChecks: readonly DockerfileCheck[] = [
  {
    title: 'is multi-stage on Node 24',
    problems(dockerfile) {
      const stages = instructions(dockerfile).filter((line) => /^FROM\s/i.test(line));
      const problems =
        stages.length >= 2 ? [] : [`has ${stages.length} FROM stage(s); build and runtime need 2`];
      for (const stage of stages) {
        if (!/^FROM node:24(-slim|-alpine)?\s/.test(stage)) {
          problems.push(`"${stage}" is not node:24, node:24-slim or node:24-alpine`);
        }
      }
      return problems;
    },
  },
  {
    title: 'runs as the non-root node user in the final stage',
    problems(dockerfile) {
      const lines = instructions(dockerfile);
      const finalStage = lines.slice(lines.findLastIndex((line) => /^FROM\s/i.test(line)));
      const user = finalStage.filter((line) => /^USER\s/.test(line)).at(-1);
      return user?.split(/\s+/)[1] === 'node'
        ? []
        : [`the final stage runs as ${user ?? 'root (no USER)'}; end it with "USER node"`];
    },
  },
  {
    title: 'builds the bundle with nx and installs only production dependencies at run time',
    problems(dockerfile, { name }) {
      const problems: string[] = [];
      if (!dockerfile.includes(`npx nx build @keyless/${name}`)) {
        problems.push(`does not run "npx nx build @keyless/${name}"`);
      }
      if (
        !new RegExp(`npm ci --omit=dev[^\\n]*--workspace apps/${name}(?![\\w-])`).test(dockerfile)
      ) {
        problems.push(`does not run "npm ci --omit=dev … --workspace apps/${name}"`);
      }
      const cmd = `CMD ["node", "apps/${name}/dist/main.js"]`;
      const last = instructions(dockerfile).at(-1);
      if (last !== cmd) problems.push(`ends with "${last ?? ''}" instead of ${cmd}`);
      return problems;
    },
  },
  {
    title: 'carries no secrets, keys or build arguments for them',
    problems(dockerfile, { port }) {
      const lines = instructions(dockerfile);
      const problems: string[] = [];
      if (/^\s*ARG\s/im.test(dockerfile)) problems.push('declares an ARG');
      const secret = lines.find((line) => secretish.test(line));
      if (secret !== undefined) problems.push(`"${secret}" looks like a secret`);
      const envNames = lines.flatMap((line) => /^ENV\s+(\w+)=/.exec(line)?.[1] ?? []);
      if (envNames.join() !== allowedEnvNames.join()) {
        problems.push(`sets ENV ${envNames.join(', ')}; only ${allowedEnvNames.join(', ')}`);
      }
      if (!lines.includes(`ENV PORT=${port}`)) {
        problems.push(`does not set ENV PORT=${port}, the service's keyless.port`);
      }
      return problems;
    },
  },
  {
    title: 'has no HEALTHCHECK: Container Apps probes /healthz and /readyz instead',
    problems(dockerfile) {
      return /^HEALTHCHECK/m.test(dockerfile) ? ['has a HEALTHCHECK'] : [];
    },
  },
];

/** Every problem of every check, each prefixed with the check's title. */
export function dockerfileProblems(dockerfile: string, service: DockerfileService): string[] {
  return dockerfileChecks.flatMap((check) =>
    check.problems(dockerfile, service).map((problem) => `${check.title}: ${problem}`),
  );
}

/** What the build context (the repository root) must leave out. */
export const dockerignoreRequired = ['**/node_modules', '.local-azure', '.env', '.env.*', '.azure'];

export function dockerignoreProblems(dockerignore: string): string[] {
  const ignored = dockerignore.split('\n').map((line) => line.trim());
  return dockerignoreRequired
    .filter((entry) => !ignored.includes(entry))
    .map((entry) => `.dockerignore does not list ${entry}`);
}
