/**
 * `npm run gen` — interactive prompts on a terminal, or non-interactive with plop's bypass:
 *
 *   npm run gen -- service <name> <api|worker> [--description "..."] [--dry-run]
 *
 * The name and kind are checked before anything is planned; an invalid one exits 1 with what was
 * wrong and what would be accepted, and nothing is written. A failure or Ctrl-C part-way rolls
 * back every change (exit 1, or 130 after SIGINT).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ParseArgsOptionsConfig } from 'node:util';
import nodePlop from 'node-plop';
import { serviceNameProblem } from './names.ts';
import type { ServiceAnswers } from './plan.ts';
import { defaultRoot, registerServiceGenerator, serviceKinds } from './plopfile.ts';
import { readWorkspace } from './workspace.ts';

const usage = `Usage:
  npm run gen                                     prompts for everything (needs a terminal)
  npm run gen -- service <name> <api|worker> [--description "..."] [--dry-run]

Options:
  --description <text>  one line for the service's package.json and the README table
  --dry-run             list every file it would create or change, and change nothing
  --cwd <dir>           the workspace to generate into (default: this repository)
  -h, --help            this text`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const options = {
  description: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  cwd: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsOptionsConfig;

// parseArgs' own error for an unknown option suggests quoting it as a positional, which is never
// the fix here; the lenient pass finds such options as tokens so the message can name each one.
const unknown = parseArgs({
  options,
  strict: false,
  allowPositionals: true,
  tokens: true,
}).tokens.flatMap((token) =>
  token.kind === 'option' && !Object.hasOwn(options, token.name) ? [token.rawName] : [],
);
if (unknown.length > 0) {
  const known = Object.keys(options).map((option) => `--${option}`);
  fail(
    `Unknown option ${unknown.join(', ')}: npm run gen takes only ${known.join(', ')}. Remove it and run again.\n\n${usage}`,
  );
}

const { values, positionals } = (() => {
  try {
    return parseArgs({ allowPositionals: true, options });
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${usage}`);
  }
})();
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const root = values.cwd ?? defaultRoot;
const [generatorName = 'service', name, kind, ...extra] = positionals;
if (generatorName !== 'service' || extra.length > 0)
  fail(`Unexpected arguments: ${positionals.join(' ')}\n\n${usage}`);
const bypassed = name !== undefined;
if (bypassed) {
  const problem = serviceNameProblem(name, readWorkspace(root).takenNames);
  if (problem) fail(problem);
  if (kind === undefined || !(serviceKinds as readonly string[]).includes(kind)) {
    fail(
      `The kind is ${kind === undefined ? 'missing' : `"${kind}"`}; use one of: ${serviceKinds.join(', ')} (npm run gen -- service ${name} api).`,
    );
  }
} else if (!process.stdin.isTTY) {
  fail(`No terminal to prompt on; pass the name and kind instead.\n\n${usage}`);
}

const interrupt = new AbortController();
// The bench's breakdown: where the generation's time went, as JSON in this file.
const profileFile = process.env.KEYLESS_GEN_PROFILE;
const steps: Array<{ step: string; ms: number }> = [];
// Fault injection for the rollback tests: fail, or interrupt, after the Nth write.
const failAfter = Number(process.env.KEYLESS_GEN_FAIL_AFTER_WRITES ?? Number.NaN);
const interruptAfter = Number(process.env.KEYLESS_GEN_INTERRUPT_AFTER_WRITES ?? Number.NaN);

const plop = await nodePlop(undefined, { destBasePath: root, force: false });
// The npm that runs `npm run gen` (npm_execpath), so it also works where npm is npm.cmd.
const npmCli = process.env.npm_execpath;
registerServiceGenerator(plop, {
  root,
  npm: npmCli && /npm-cli\.[cm]?js$/.test(npmCli) ? [process.execPath, npmCli] : ['npm'],
  dryRun: values['dry-run'],
  env: process.env,
  signal: interrupt.signal,
  onStep: (step, ms) => steps.push({ step, ms }),
  afterWrite: (writes) => {
    if (writes === failAfter)
      throw new Error(`forced failure after write ${writes} (KEYLESS_GEN_FAIL_AFTER_WRITES)`);
    if (writes === interruptAfter) process.kill(process.pid, 'SIGINT');
  },
});
const generator = plop.getGenerator('service');
// node-plop types answers as `any`; the prompts above make them ServiceAnswers.
const answers = (await generator.runPrompts(
  bypassed ? [name, kind ?? '', values.description ?? `A keyless ${kind ?? ''} service.`] : [],
)) as ServiceAnswers & Record<string, unknown>;
// From here on Ctrl-C aborts the transaction, which rolls back before exiting (during the
// prompts it keeps its default meaning: quit, nothing written).
process.once('SIGINT', () => interrupt.abort(new Error('interrupted (SIGINT)')));
const result = await generator.runActions(answers);
// node-plop reports a failed action as { type, path, error: <the error's message> }.
for (const failure of result.failures) console.error(String(failure.error));
if (result.failures.length > 0) process.exit(interrupt.signal.aborted ? 130 : 1);
if (profileFile) writeFileSync(profileFile, JSON.stringify({ steps }, null, 2));
if (!values['dry-run']) {
  console.log(
    `\nNext: npx nx run-many -t test lint typecheck -p @keyless/${answers.name}, then npm start.`,
  );
}
