/**
 * The local Azure OpenAI emulator's test controls, over HTTP (`/_emulator/*`), so the suite
 * needs nothing from the stack but the environment it hands a service.
 */
export interface Fault {
  kind: 'status' | 'hang' | 'reset';
  status?: number;
  count: number;
  retryAfterMs?: number;
}

export interface EmulatorControls {
  injectFault(fault: Fault): Promise<void>;
  clearFaults(): Promise<void>;
  setLatency(latency: { fixedMs?: number; perTokenMs?: number }): Promise<void>;
}

export function emulatorControls(endpoint: string): EmulatorControls {
  async function send(method: string, path: string, body?: unknown): Promise<void> {
    const response = await fetch(`${endpoint}/_emulator/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await response.arrayBuffer();
    if (!response.ok) {
      throw new Error(`The emulator refused ${method} /_emulator/${path}: ${response.status}`);
    }
  }
  return {
    injectFault: (fault) => send('POST', 'faults', fault),
    clearFaults: () => send('DELETE', 'faults'),
    setLatency: (latency) =>
      send('PUT', 'latency', {
        fixedMs: latency.fixedMs ?? 0,
        perTokenMs: latency.perTokenMs ?? 0,
      }),
  };
}
