import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** One diagnostic as the Bicep CLI prints it: `file(line,col) : Level CODE: message`. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly level: 'Error' | 'Warning' | 'Info';
  readonly code: string;
  readonly message: string;
}

const diagnosticLine = /^(.*)\((\d+),(\d+)\) : (Error|Warning|Info) ([^:]+): (.*)$/;

/** Reads the CLI's diagnostics out of its stderr; any other line is ignored. */
export function parseDiagnostics(stderr: string): Diagnostic[] {
  return stderr.split(/\r?\n/).flatMap((line) => {
    const match = diagnosticLine.exec(line);
    if (match === null) return [];
    const [, file = '', row = '0', column = '0', level, code = '', message = ''] = match;
    return [
      {
        file,
        line: Number(row),
        column: Number(column),
        level: level as Diagnostic['level'],
        code,
        message,
      },
    ];
  });
}

interface Run {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

async function bicep(cli: string, args: readonly string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await execFileAsync(cli, args, { maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, stdout, stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
}

/** The compiled ARM template of a .bicep file, with every diagnostic of it and its modules. */
export interface Build {
  readonly ok: boolean;
  readonly template: unknown;
  readonly diagnostics: readonly Diagnostic[];
  readonly stderr: string;
}

export async function build(cli: string, file: string): Promise<Build> {
  const run = await bicep(cli, ['build', file, '--stdout']);
  return {
    ok: run.ok,
    template: run.ok ? (JSON.parse(run.stdout) as unknown) : undefined,
    diagnostics: parseDiagnostics(run.stderr),
    stderr: run.stderr,
  };
}

/** `bicep lint` of a file and the modules it uses, with the nearest bicepconfig.json. */
export async function lint(
  cli: string,
  file: string,
): Promise<{ ok: boolean; diagnostics: Diagnostic[]; stderr: string }> {
  const run = await bicep(cli, ['lint', file]);
  return { ok: run.ok, diagnostics: parseDiagnostics(run.stderr), stderr: run.stderr };
}

/** Where and as whom a snapshot pretends to deploy; ids are placeholders, nothing is contacted. */
export interface SnapshotTarget {
  readonly params: Readonly<Record<string, string>>;
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly location: string;
}

/** A resource as the ARM engine predicts it: names, scopes and properties evaluated. */
export interface PredictedResource {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly properties?: Record<string, unknown>;
  readonly identity?: { type?: string; userAssignedIdentities?: Record<string, unknown> };
  readonly kind?: string;
  readonly tags?: Record<string, string>;
}

export interface Snapshot {
  readonly predictedResources: readonly PredictedResource[];
  readonly outputs: Readonly<Record<string, unknown>>;
}

/**
 * Runs `bicep snapshot`: the CLI compiles the template and evaluates it with the ARM template
 * engine (copy loops, conditions, nested deployments, parameters passed to modules), giving the
 * resources a deployment would create. Values known only after deployment (`reference()`) stay
 * as expressions. This is what the policy checks read.
 */
export async function snapshot(
  cli: string,
  mainFile: string,
  target: SnapshotTarget,
): Promise<Snapshot> {
  const dir = await mkdtemp(join(tmpdir(), 'keyless-snapshot-'));
  try {
    const paramFile = join(dir, 'main.bicepparam');
    // `using` must be relative to the parameters file.
    const using = relative(dir, mainFile).split('\\').join('/');
    const lines = Object.entries(target.params).map(
      ([name, value]) => `param ${name} = '${value.replaceAll("'", "\\'")}'`,
    );
    await writeFile(paramFile, [`using '${using}'`, ...lines, ''].join('\n'));
    const run = await bicep(cli, [
      'snapshot',
      paramFile,
      '--mode',
      'overwrite',
      '--subscription-id',
      target.subscriptionId,
      '--tenant-id',
      target.tenantId,
      '--location',
      target.location,
    ]);
    if (!run.ok) {
      throw new Error(`bicep snapshot of ${mainFile} failed:\n${run.stderr}`);
    }
    return JSON.parse(await readFile(join(dir, 'main.snapshot.json'), 'utf8')) as Snapshot;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
