/** The ports of the stack's own servers. */
export interface StackPorts {
  identity: number;
  openai: number;
  blob: number;
  queue: number;
  /** The telemetry receiver (OTLP/HTTP). */
  otlp: number;
}

/** What docs/ARCHITECTURE.md promises for `npm start`. */
export const defaultPorts: StackPorts = {
  identity: 8079,
  openai: 8080,
  blob: 10000,
  queue: 10001,
  otlp: 4318,
};

/** 0 everywhere: the system picks free ports (tests, parallel runs). */
export const freePorts: StackPorts = { identity: 0, openai: 0, blob: 0, queue: 0, otlp: 0 };

/** The variables that move each port under `npm start`. */
export const portEnvVars: Record<keyof StackPorts, string> = {
  identity: 'LOCAL_AZURE_IDENTITY_PORT',
  openai: 'LOCAL_AZURE_OPENAI_PORT',
  blob: 'LOCAL_AZURE_BLOB_PORT',
  queue: 'LOCAL_AZURE_QUEUE_PORT',
  otlp: 'LOCAL_AZURE_OTLP_PORT',
};
