/** What the suite's sections share: the running service(s), the upstream recorder, the controls. */
import type { OnTestFinishedHandler } from 'vitest';
import type { EmulatorControls } from './emulator-controls.ts';
import type { RecordingProxy } from './recording-proxy.ts';
import type { ServiceProcess } from './service-process.ts';

export interface SuiteState {
  /** The service with its defaults (API_BODY_LIMIT lowered to 64kb, LOG_LEVEL trace). */
  service: ServiceProcess;
  /** No retries, a 1 s model timeout and no embedding deployment: each fault reaches the caller. */
  strict: ServiceProcess;
  /** The environment the service runs with (the model endpoint is the recording proxy). */
  env: Record<string, string>;
  proxy: RecordingProxy;
  controls: EmulatorControls;
  main: string;
  name: string;
}

export type GetState = () => SuiteState;

/** The test context's `onTestFinished`, for checks that start something of their own. */
export type OnTestFinished = (handler: OnTestFinishedHandler) => void;
