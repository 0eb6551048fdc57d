/**
 * Builds every service's image (services.json) with buildah from its own Dockerfile, checks what
 * is inside, runs each against the local stack (/readyz and one real call) and prints the sizes.
 *
 *   npx nx run @keyless/images:build-all [-- --require] [-- --no-run]
 *
 * --require: fail (exit 1) when buildah or debootstrap are missing and cannot be installed (CI).
 * --no-run:  build and check the images, do not start them.
 * --only a,b: only these services (as named in services.json).
 */
import { findWorkspaceRoot, readRegistry } from '@keyless/registry';
import { parseArgs } from 'node:util';
import { buildImage, inspectImage, runImage } from '../images.ts';
import type { ImageReport } from '../images.ts';
import { sizeTable } from '../report.ts';
import { freePort } from '../service-process.ts';
import { checkService } from '../smoke.ts';
import { ensureStandIn } from '../stand-in.ts';
import { startCheckStack } from '../stack.ts';
import { ensureTools } from '../tools.ts';

const { values } = parseArgs({
  options: {
    require: { type: 'boolean', default: false },
    'no-run': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});

const path = process.env.PATH ?? '';
const tools = await ensureTools({ isRoot: process.getuid?.() === 0, path });
if (!tools.ok) {
  console.log(tools.line);
  process.exit(values.require ? 1 : 0);
}
if (tools.installed.length > 0) console.log(`installed ${tools.installed.join(', ')} with apt-get`);

const started = Date.now();
const workspaceRoot = findWorkspaceRoot(process.cwd());
if (!workspaceRoot) {
  console.error(`No services.json above ${process.cwd()}: run this inside the keyless workspace.`);
  process.exit(1);
}
const registered = readRegistry(workspaceRoot).services;
const only = values.only?.split(',').map((name) => name.trim()) ?? [];
const unknown = only.filter((name) => !registered.some((service) => service.name === name));
if (unknown.length > 0) {
  console.error(
    `--only names ${unknown.join(', ')}, which services.json does not list (it lists ${registered.map((service) => service.name).join(', ')}).`,
  );
  process.exit(1);
}
const services =
  only.length > 0 ? registered.filter((service) => only.includes(service.name)) : registered;

const standIn = await ensureStandIn(path);
console.log(
  `node:24-slim stand-in ${standIn.recipe.tag}: ${standIn.built ? `built in ${standIn.seconds.toFixed(0)} s` : 'cached'}`,
);

const reports: ImageReport[] = [];
let failed = false;
for (const service of services) {
  console.log(`\n== building ${service.name} (apps/${service.name}/Dockerfile)`);
  const seconds = await buildImage(workspaceRoot, service);
  const report = await inspectImage(workspaceRoot, service);
  reports.push(report);
  console.log(`built ${report.reference} in ${seconds.toFixed(0)} s`);
  for (const problem of report.problems) console.log(`  ✗ ${service.name}: ${problem}`);
  if (report.problems.length > 0) failed = true;
}

const checks = new Map<string, string>();
if (!values['no-run']) {
  const stack = await startCheckStack();
  try {
    for (const service of services) {
      const port = await freePort();
      const running = await runImage(service, stack.envFor(service, port), [stack.certDir]);
      try {
        const answer = await checkService(
          service,
          `http://127.0.0.1:${port}`,
          stack.storage,
          running.process.exited,
        );
        checks.set(service.name, service.kind === 'api' ? 'readyz + chat ok' : 'readyz + job ok');
        console.log(
          `${service.name}: /readyz ok; ${service.kind === 'api' ? 'chat' : 'job result'}: ${answer.slice(0, 160)}`,
        );
      } catch (error) {
        failed = true;
        checks.set(service.name, 'FAILED');
        console.log(
          `  ✗ ${service.name}: ${error instanceof Error ? error.message : String(error)}`,
        );
        console.log(running.process.output.map((line) => `    | ${line}`).join('\n'));
      } finally {
        await running.stop();
      }
    }
  } finally {
    await stack.stop();
  }
}

console.log(`\n${sizeTable(reports, checks)}`);
console.log(`\nimages built and checked in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
