/**
 * Node's compile cache, written as soon as a service is up. With NODE_COMPILE_CACHE set (the
 * conformance suites set it for every process they start), the next process skips compiling the
 * modules this one loaded; Node writes the cache only at a clean exit, and a service usually ends
 * by a signal or a kill. Without NODE_COMPILE_CACHE this does nothing.
 */
import { flushCompileCache, getCompileCacheDir } from 'node:module';

export function persistCompileCache(): void {
  if (getCompileCacheDir() !== undefined) flushCompileCache();
}
