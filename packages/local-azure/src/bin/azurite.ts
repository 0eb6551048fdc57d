import { pathToFileURL } from 'node:url';

// Runs one Azurite service (`node azurite.ts <azurite main.js> [azurite options]`) and exits
// when the parent's stdin pipe closes, so that a parent that dies abruptly leaves no Azurite behind.
const [main, ...options] = process.argv.slice(2);
if (!main) {
  console.error(
    'usage: node src/bin/azurite.ts <path of azurite blob/queue main.js> [azurite options]',
  );
  process.exit(2);
}
process.argv.splice(2, process.argv.length - 2, ...options);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
await import(pathToFileURL(main).href);
