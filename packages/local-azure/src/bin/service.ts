import { pathToFileURL } from 'node:url';

// Runs a service's entry (`node service.ts <app>/src/main.ts`) and, when the parent's stdin pipe
// closes because `npm start` died without cleaning up, SIGTERMs itself so the service shuts down
// gracefully instead of living on as an orphan. The pipe is unref'd: it never keeps a service alive.
const [main] = process.argv.splice(2, 1);
if (!main) {
  console.error('usage: node src/bin/service.ts <path of the service entry point>');
  process.exit(2);
}
process.argv[1] = main;
process.stdin.once('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
(process.stdin as unknown as { unref?: () => void }).unref?.();
await import(pathToFileURL(main).href);
