/**
 * Entry point: `node src/main.ts` locally, `node dist/main.mjs` in the container. The service kit
 * reads the environment, wires the keyless clients, listens and drains on SIGTERM.
 */
import { startHttpService } from '@keyless/service-kit/http';
import { routes } from './routes.ts';

startHttpService({ name: 'api', port: 3000, routes, env: process.env });
