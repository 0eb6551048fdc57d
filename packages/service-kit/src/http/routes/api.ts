/**
 * The api kind's contract: chat completions (JSON and streaming), Responses-backed chat with a
 * server-side tool (JSON and streaming, on the v1 API) and embeddings, in that order.
 */
import type { RouteFactory } from '../context.ts';
import { chatRoutes } from './chat.ts';
import { embeddingsRoutes } from './embeddings.ts';
import { responsesRoutes } from './responses.ts';

export const apiRoutes: readonly RouteFactory[] = [chatRoutes, responsesRoutes, embeddingsRoutes];
