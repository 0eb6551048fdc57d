/**
 * HTTP server and client spans and the `http.server.request.duration` metric, from
 * `@opentelemetry/instrumentation-http`. It patches `node:http`/`node:https` themselves, which
 * the service's bundle imports like any other program, so it works bundled. It is applied
 * directly rather than through the instrumentation's module-load hooks, which depend on the
 * order modules load in and do not see an ES module bundle's imports.
 */
import type { IncomingMessage } from 'node:http';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';

const load = createRequire(import.meta.url);

export interface HttpInstrumentationOptions {
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
  /** Request paths that get no server span (health probes). */
  ignoreIncomingPaths: readonly string[];
}

/** Patches `node:http` and `node:https`; the returned function takes the patches off again. */
export function instrumentHttp(options: HttpInstrumentationOptions): () => void {
  const ignored = new Set(options.ignoreIncomingPaths);
  const instrumentation = new HttpInstrumentation({
    enabled: false,
    ignoreIncomingRequestHook: (request: IncomingMessage) =>
      ignored.has((request.url ?? '/').split('?')[0] ?? '/'),
  });
  instrumentation.setTracerProvider(options.tracerProvider);
  instrumentation.setMeterProvider(options.meterProvider);
  const patched = instrumentation.getModuleDefinitions().map((definition) => {
    const moduleExports: unknown = load(definition.name);
    definition.patch?.(moduleExports);
    return { definition, moduleExports };
  });
  // `import { request } from 'node:http'` reads bindings that only follow the patch after this.
  syncBuiltinESMExports();
  return () => {
    for (const { definition, moduleExports } of patched) definition.unpatch?.(moduleExports);
    syncBuiltinESMExports();
  };
}
