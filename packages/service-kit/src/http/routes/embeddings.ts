/** POST /api/embeddings: vectors for one string or a batch, from the embedding deployment. */
import { traceModelCall } from '@keyless/telemetry';
import { Router } from 'express';
import type { RequestHandler } from 'express';
import { parseBody } from '../body.ts';
import type { RouteFactory } from '../context.ts';
import { methodNotAllowed } from '../error-handler.ts';
import { ProblemError, problemTypes } from '../problem.ts';
import { embeddingsRequest } from '../schemas.ts';
import { upstreamCall } from '../upstream-call.ts';

export const embeddingsRoutes: RouteFactory = ({ config, clients, jsonBody }) => {
  const router = Router();
  const deployment = config.keyless.openai.embeddingDeployment;
  router.post(
    '/api/embeddings',
    requireEmbeddingDeployment(deployment),
    jsonBody,
    async (req, res) => {
      const body = parseBody(embeddingsRequest, req.body);
      const call = upstreamCall(res, config);
      const model = deployment ?? '';
      const result = await traceModelCall(
        { operation: 'embeddings', deployment: model, endpoint: config.keyless.openai.endpoint },
        () =>
          clients.openai.embeddings.create(
            // Floats, not the SDK's base64 default: what the caller gets is what the model sent.
            { model, input: body.input, encoding_format: 'float' },
            call.options,
          ),
      );
      res.json({
        data: result.data.map((item) => ({ index: item.index, embedding: item.embedding })),
        usage: { promptTokens: result.usage.prompt_tokens, totalTokens: result.usage.total_tokens },
      });
    },
  );
  router.all('/api/embeddings', methodNotAllowed('POST'));
  return router;
};

function requireEmbeddingDeployment(deployment: string | undefined): RequestHandler {
  return (_req, _res, next) => {
    if (deployment) return next();
    next(
      new ProblemError({
        type: problemTypes.notConfigured,
        title: 'Embeddings are not configured',
        status: 501,
        detail:
          'Set AZURE_OPENAI_EMBEDDING_DEPLOYMENT to the name of an embedding deployment (for example text-embedding-3-small) and restart the service.',
      }),
    );
  };
}
