import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RegistryError, validateFile } from './registry.ts';

/** The model deployments of an environment: infra/main.bicep deploys them, the local emulator serves them. */
export const modelsFile = 'infra/models.json';

const deployment = z.strictObject({
  /** The deployment name services call (AZURE_OPENAI_CHAT_DEPLOYMENT / _EMBEDDING_DEPLOYMENT). */
  deployment: z.string().min(1),
  model: z.string().min(1),
  version: z.string().min(1),
  sku: z.string().min(1),
  /** Thousands of tokens per minute. */
  capacity: z.number().int().min(1),
});

const modelsSchema = z.strictObject({ chat: deployment, embedding: deployment });

export type ModelDeployment = z.infer<typeof deployment>;
export type Models = z.infer<typeof modelsSchema>;

/** Reads and validates `<workspaceRoot>/infra/models.json`. */
export function readModels(workspaceRoot: string): Models {
  const file = join(workspaceRoot, modelsFile);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new RegistryError(file, [`cannot be read as JSON (${(cause as Error).message})`], {
      cause,
    });
  }
  return validateFile(modelsSchema, json, file);
}
