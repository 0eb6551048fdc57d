/**
 * What the suite needs of the local stack, structurally: `@keyless/local-azure`'s `LocalAzure`
 * satisfies it. The kit is a library and does not import the stack; the service's own test file
 * starts it and hands it in.
 */
export interface ConformanceStack {
  /** What Azure Container Apps would give a process running as `identityName` (or `developer`). */
  envFor(identityName: string): Record<string, string>;
  readonly openai: {
    readonly requestCount: number;
    readonly faults: {
      inject(
        fault:
          | { kind: 'status'; status: 429; count: number; retryAfterMs?: number }
          | { kind: 'hang'; count: number },
      ): void;
      clear(): void;
      pending(): unknown[];
    };
    setLatency(latency: { fixedMs?: number; perTokenMs?: number }): void;
  };
  readonly identity: { setAvailable(available: boolean): void };
  stop(): Promise<void>;
}
