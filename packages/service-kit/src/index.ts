// The configuration convention shared by every kind; each kind's own surface is its subpath
// export (`./http`, `./worker`), and the conformance suites are `./testing/http`, `./testing/worker`.
export {
  commonSettings,
  integer,
  loadServiceSettings,
  logLevel,
  storageName,
} from './config/settings.ts';
export type { Env } from './config/settings.ts';
