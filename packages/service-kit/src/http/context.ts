/**
 * What a service's routes are built from. A service contributes route factories; the kit calls
 * each with the context once, when it assembles the app.
 */
import type { KeylessError } from '@keyless/auth';
import type { Logger } from '@keyless/logging';
import type { RequestHandler, Router } from 'express';
import type OpenAI from 'openai';
import type { HttpServiceConfig } from './config.ts';
import type { UpstreamContext } from './upstream-errors.ts';

/** The keyless clients a route may use, wired from the configuration by @keyless/auth. */
export interface HttpServiceClients {
  openai: OpenAI;
  /** @keyless/auth's diagnosis of a refused model call (KeylessClients.explainError). */
  explainError: (error: unknown) => KeylessError | undefined;
}

export interface HttpServiceContext {
  /** The service's name, as in services.json and on every log line. */
  name: string;
  config: HttpServiceConfig;
  clients: HttpServiceClients;
  logger: Logger;
  /** How a failed model call becomes a problem (the timeout and auth's diagnosis). */
  upstream: UpstreamContext;
  /** Reads a JSON object body within API_BODY_LIMIT into `req.body`, or answers 400/413/415. */
  jsonBody: RequestHandler;
}

/** A service's routes: one Express Router, built from the context. */
export type RouteFactory = (context: HttpServiceContext) => Router;
