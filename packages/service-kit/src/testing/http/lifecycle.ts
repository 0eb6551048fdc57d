/** Start-up and shutdown of the real process: bad configuration, SIGTERM drain, deadline. */
import { describe, it } from 'vitest';
import { hello, parseEvents, postJson, readRest } from './http-client.ts';
import { refusesConnections } from './ports.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import { runToExit, spawnService } from './service-process.ts';
import type { ServiceProcess } from './service-process.ts';
import type { GetState, OnTestFinished } from './suite-state.ts';

/**
 * The SIGTERM drain with a stream in flight, each service behind a proxy of its own that paces the
 * model's events, so the checks can run beside the others.
 */
export function drainOnShutdown(state: GetState): void {
  describe('on SIGTERM', () => {
    async function slowService(
      eventDelayMs: number,
      env: Record<string, string>,
      onTestFinished: OnTestFinished,
    ): Promise<ServiceProcess> {
      const proxy = await startRecordingProxy(state().env.AZURE_OPENAI_ENDPOINT ?? '', {
        eventDelayMs,
      });
      onTestFinished(() => proxy.close());
      const service = await spawnService(state().main, {
        ...state().env,
        ...env,
        AZURE_OPENAI_ENDPOINT: proxy.url,
      });
      // Registered last, so it runs first: the service stops before its proxy closes.
      onTestFinished(() => service.stop());
      return service;
    }

    it('stops accepting, finishes the in-flight stream, then exits 0', async ({
      expect,
      onTestFinished,
    }) => {
      const service = await slowService(150, {}, onTestFinished);
      const response = await postJson(`${service.url}/api/chat`, { ...hello, stream: true });
      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      // The stream is still in flight when the signal comes, or this would prove nothing.
      expect(first).not.toContain('event: done');

      service.child.kill('SIGTERM');
      await expect
        .poll(() => service.logs.some((line) => String(line.msg).startsWith('shutting down')))
        .toBe(true);
      expect(await refusesConnections(Number(new URL(service.url).port))).toBe(true);

      const events = parseEvents(await readRest(reader, first));
      expect(events.at(-1)?.event).toBe('done');
      expect(await service.exited).toBe(0);
      expect(service.logs.map((line) => line.msg)).toContain('all requests finished');
    });

    it('closes what is left at API_SHUTDOWN_TIMEOUT_MS, says so in the log, and exits 0', async ({
      expect,
      onTestFinished,
    }) => {
      const service = await slowService(1_000, { API_SHUTDOWN_TIMEOUT_MS: '200' }, onTestFinished);
      const response = await postJson(`${service.url}/api/chat`, { ...hello, stream: true });
      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);

      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      const events = parseEvents(await readRest(reader, first));
      expect(events.some((event) => event.event === 'done')).toBe(false);
      expect(service.logs.map((line) => line.msg)).toContain(
        'shutdown deadline reached; closing the remaining connections',
      );
    });
  });
}

/** SIGTERM with nothing in flight, in a service process of its own. */
export function idleShutdown(state: GetState): void {
  describe('on SIGTERM', () => {
    it('exits 0 at once when idle', async ({ expect }) => {
      const { main, env } = state();
      const service = await spawnService(main, env);
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
    });
  });
}

/** Start-up failures: the entry point run to its exit, each in a process of its own. */
export function startUpFailures(state: GetState): void {
  describe('at start-up', () => {
    it('exits 1 listing every configuration problem with its variable, without a stack trace', async ({
      expect,
    }) => {
      const { code, stderr } = await runToExit(state().main, {
        PORT: 'eighty',
        API_BODY_LIMIT: 'huge',
      });
      expect(code).toBe(1);
      for (const variable of ['AZURE_OPENAI_ENDPOINT', 'PORT', 'API_BODY_LIMIT']) {
        expect(stderr).toContain(variable);
      }
      expect(stderr).not.toMatch(/\n\s+at /);
    });

    it('refuses to start with an API key in the environment', async ({ expect }) => {
      const key = Array.from({ length: 32 }, (_, index) => (index % 16).toString(16)).join('');
      const { code, stderr } = await runToExit(state().main, {
        ...state().env,
        AZURE_OPENAI_API_KEY: key,
      });
      expect(code).toBe(1);
      expect(stderr).toContain('KEYLESS_ERR_KEY_PRESENT');
      expect(stderr).not.toContain(key);
    });
  });
}
