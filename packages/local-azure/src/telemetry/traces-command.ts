/**
 * `npm run traces`: the latest traces the local stack received, as trees; `npm run traces --
 * <trace id>` one of them. Returns what to print and the exit code, so tests run it in-process.
 */
import { formatTrace, groupTraces, parseTraceId } from './trace-tree.ts';
import { readSpans } from './trace-file.ts';

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface TracesCommandOptions {
  file: string;
  args: readonly string[];
  /** How many traces the list shows (default 10). */
  limit?: number;
}

export function tracesCommand(options: TracesCommandOptions): CommandResult {
  const [argument, ...rest] = options.args;
  if (rest.length > 0) {
    return {
      stdout: '',
      stderr: `npm run traces takes at most one trace id; got ${options.args.length} arguments.\nUsage: npm run traces [-- <trace id>]\n`,
      exitCode: 1,
    };
  }
  const traces = groupTraces(readSpans(options.file));
  if (argument === undefined) {
    if (traces.length === 0) {
      return {
        stdout: `No traces yet in ${options.file}.\nStart the stack with \`npm start\` and send a request; every service sends its spans to the stack's telemetry receiver.\n`,
        stderr: '',
        exitCode: 0,
      };
    }
    const shown = traces.slice(0, options.limit ?? 10);
    const more =
      traces.length > shown.length
        ? `\n(${traces.length - shown.length} older traces not shown; \`npm run traces -- <trace id>\` prints any one.)\n`
        : '';
    return {
      stdout: `${shown.map(formatTrace).join('\n\n')}\n${more}`,
      stderr: '',
      exitCode: 0,
    };
  }
  const traceId = parseTraceId(argument);
  if (!traceId) {
    return {
      stdout: '',
      stderr: `"${argument}" is not a trace id. Give the 32 hex digits of a trace id, or the whole traceresponse header of an api response (00-<trace id>-<span id>-01).\n`,
      exitCode: 1,
    };
  }
  const trace = traces.find((candidate) => candidate.traceId === traceId);
  if (!trace) {
    // Services export spans in batches (OpenTelemetry's BatchSpanProcessor waits up to 5 s), so
    // the likeliest reason, right after a request, is that its spans are still on their way.
    return {
      stdout: '',
      stderr: `No trace ${traceId} in ${options.file}. Most likely it has not arrived yet: services send their spans in batches, a few seconds after the request, so run \`npm run traces -- ${traceId}\` again in about 5 s. If it is still missing, it was not sent to this stack: the stack keeps the spans its services sent while \`npm start\` ran (with OTEL_SDK_DISABLED=true they send none); \`npm run traces\` lists the latest.\n`,
      exitCode: 1,
    };
  }
  return { stdout: `${formatTrace(trace)}\n`, stderr: '', exitCode: 0 };
}
