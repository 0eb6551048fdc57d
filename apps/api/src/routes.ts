/**
 * The api's routes: the api kind's contract from the service kit (POST /api/chat, POST
 * /api/responses with its example tool, POST /api/embeddings). A route of this service's own is
 * one more factory in this list.
 */
import { apiRoutes } from '@keyless/service-kit/http';
import type { RouteFactory } from '@keyless/service-kit/http';

export const routes: readonly RouteFactory[] = [...apiRoutes];
