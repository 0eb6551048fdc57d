/** The api kind's contract: chat (JSON and streaming) and embeddings, in that order. */
import type { RouteFactory } from '../context.ts';
import { chatRoutes } from './chat.ts';
import { embeddingsRoutes } from './embeddings.ts';

export const apiRoutes: readonly RouteFactory[] = [chatRoutes, embeddingsRoutes];
