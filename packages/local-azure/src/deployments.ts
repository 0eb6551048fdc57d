import type { Models } from '@keyless/registry';
import type { DeploymentConfig } from './openai/options.ts';

/**
 * The emulator's deployments, named as infra/models.json names them in Azure, so that the
 * `AZURE_OPENAI_*_DEPLOYMENT` a service gets locally is the one it gets when deployed.
 */
export function deploymentsFor(models: Models): DeploymentConfig[] {
  return [
    // Azure reports a chat model with its dated version (gpt-4o-mini-2024-07-18).
    {
      name: models.chat.deployment,
      kind: 'chat',
      model: /^\d{4}-\d{2}-\d{2}$/.test(models.chat.version)
        ? `${models.chat.model}-${models.chat.version}`
        : models.chat.model,
    },
    { name: models.embedding.deployment, kind: 'embeddings', model: models.embedding.model },
  ];
}
