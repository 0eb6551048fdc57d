/**
 * The local stack in its own process, so the load generator, the api and the emulator each
 * have an event loop (as they would in Azure). Sends the api's environment over IPC, then runs
 * until its parent disconnects. Latency comes from argv: fixedMs.
 */
import { startLocalAzure } from '@keyless/local-azure';

const fixedMs = Number(process.argv[2] ?? 0);
const stack = await startLocalAzure({ ports: 'free', storage: false, latency: { fixedMs } });
// Telemetry goes to the stack's receiver, as under `npm start`; OTEL_SDK_DISABLED=true turns it off.
process.send?.({ env: { ...stack.envFor('id-api'), ...stack.telemetry.env('api') } });
process.on('disconnect', () => {
  void stack.stop().then(() => process.exit(0));
});
