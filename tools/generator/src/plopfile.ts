/**
 * The plop generator `service`: prompts (validated as you type) and one custom action that plans
 * the whole service in memory and applies it as a transaction. cli.ts drives it through node-plop,
 * which adds the bypass (`service <name> <kind>`), `--dry-run` and clean exit codes.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodePlopAPI } from 'node-plop';
import { applyChangeset, describeChanges } from './changeset.ts';
import type { ApplyOptions } from './changeset.ts';
import { serviceNameProblem } from './names.ts';
import { planService, serviceKinds } from './plan.ts';
import type { ServiceAnswers } from './plan.ts';
import { readWorkspace } from './workspace.ts';

export interface GeneratorOptions extends ApplyOptions {
  /** The workspace to generate into. */
  root: string;
  templatesDir?: string;
  /** List what would be written, write nothing. */
  dryRun?: boolean;
  /** How to run npm (default `npm`). */
  npm?: readonly string[];
  /** Where progress lines go. */
  log?: (line: string) => void;
}

const here = dirname(fileURLToPath(import.meta.url));
export const defaultRoot = join(here, '../../..');

export function registerServiceGenerator(plop: NodePlopAPI, options: GeneratorOptions): void {
  const log = options.log ?? ((line: string) => console.log(line));
  const templatesDir = options.templatesDir ?? join(options.root, 'templates');
  const taken = () => readWorkspace(options.root).takenNames;
  plop.setHelper('json', (value: unknown) => JSON.stringify(value, null, 2));

  plop.setActionType('keyless-service', async (answers) => {
    const planStart = performance.now();
    const changeset = await planService(answers as ServiceAnswers, {
      root: options.root,
      templatesDir,
      npm: options.npm,
      render: (template, data) => plop.renderString(template, data),
    });
    options.onStep?.('plan (render and format)', performance.now() - planStart);
    const lines = describeChanges(changeset);
    if (options.dryRun) {
      log(`Dry run: would write ${lines.length} changes (nothing was written):`);
    } else {
      await applyChangeset(options.root, changeset, options);
      log(`Wrote ${lines.length} changes:`);
    }
    for (const line of lines) log(`  ${line}`);
    return options.dryRun ? 'dry run' : 'service generated';
  });

  plop.setGenerator('service', {
    description: 'a new keyless service in apps/<name>, listed in services.json and azure.yaml',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'Service name',
        validate: (input: string) => serviceNameProblem(input, taken()) ?? true,
        // Shown while typing: what is wrong so far, before Enter is pressed.
        transformer: (input: string, _answers: unknown, flags: { isFinal?: boolean }) => {
          if (flags.isFinal || input === '') return input;
          const problem = serviceNameProblem(input, taken());
          return problem ? `${input}  ✗ ${problem}` : `${input}  ✓`;
        },
      },
      {
        type: 'list',
        name: 'kind',
        message: 'Kind',
        choices: [
          {
            name: 'api: Express 5 HTTP service (chat, Responses and embeddings routes, health probes)',
            value: 'api',
          },
          { name: 'worker: Storage Queue consumer (jobs → results blobs)', value: 'worker' },
        ],
      },
      {
        type: 'input',
        name: 'description',
        message: 'One-line description',
        default: (answers: { kind?: string }) => `A keyless ${answers.kind ?? 'api'} service.`,
        validate: (input: string) =>
          input.includes('\n') || input.length > 200
            ? 'Use one line of at most 200 characters.'
            : true,
      },
    ],
    actions: [{ type: 'keyless-service' }],
  });
}

export { serviceKinds };

/** For `plop --plopfile tools/generator/src/plopfile.ts`: the same generator on this workspace. */
export default function plopfile(plop: NodePlopAPI): void {
  registerServiceGenerator(plop, { root: defaultRoot });
}
