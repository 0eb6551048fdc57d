// `npm run traces [-- <trace id>]`: the traces the running (or last) local stack received.
import { tracesCommand } from '../telemetry/traces-command.ts';
import { tracesFileIn } from '../telemetry/trace-file.ts';
import { localAzureDir } from '../workspace.ts';

const result = tracesCommand({
  file: tracesFileIn(process.env['LOCAL_AZURE_DIR'] || localAzureDir),
  args: process.argv.slice(2),
});
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
