import type { ModelDeployment, Models } from '@keyless/registry';
import { json, type Command } from './command.ts';

/** A reason the deployment would fail, with the fix; `code` is stable for tests and docs. */
export interface Problem {
  readonly code: 'MODEL_NOT_OFFERED' | 'QUOTA_SHORT' | 'NO_ROLE_ASSIGNMENT_RIGHT' | 'AZ_FAILED';
  readonly message: string;
  readonly fix: string;
}

interface OfferedModel {
  readonly kind?: string;
  readonly model?: {
    readonly name?: string;
    readonly version?: string;
    readonly skus?: readonly { readonly name?: string }[];
  };
}

interface Usage {
  readonly name?: { readonly value?: string };
  readonly currentValue?: number;
  readonly limit?: number;
}

/**
 * Each model of infra/models.json is offered in the region at its version and SKU, and the
 * region's quota for that SKU and model has room for its capacity (thousands of tokens a minute).
 */
export function checkModels(
  models: Models,
  location: string,
  az: Command,
  /** This environment was provisioned before: its own deployments already count in the usage. */
  reprovisioning = false,
): Problem[] {
  const offered = json<OfferedModel[]>(
    az(['cognitiveservices', 'model', 'list', '--location', location, '--output', 'json']),
  );
  const usages = json<Usage[]>(
    az(['cognitiveservices', 'usage', 'list', '--location', location, '--output', 'json']),
  );
  if (offered === undefined || usages === undefined) {
    return [
      {
        code: 'AZ_FAILED',
        message: `could not list the models and quota of ${location} with the Azure CLI`,
        fix: 'sign in with `az login` (and `az account set --subscription <id>`), then run azd again',
      },
    ];
  }
  return (['chat', 'embedding'] as const).flatMap((role): Problem[] => {
    const wanted: ModelDeployment = models[role];
    const label = `${wanted.model} ${wanted.version} (${wanted.sku})`;
    const versions = offered.filter(
      (entry) => entry.kind === 'OpenAI' && entry.model?.name === wanted.model,
    );
    const match = versions.find(
      (entry) =>
        entry.model?.version === wanted.version &&
        (entry.model.skus ?? []).some((sku) => sku.name === wanted.sku),
    );
    if (match === undefined) {
      const elsewhere = versions
        .map(
          (entry) =>
            `${entry.model?.version ?? '?'} (${(entry.model?.skus ?? []).map((sku) => sku.name).join(', ')})`,
        )
        .join('; ');
      return [
        {
          code: 'MODEL_NOT_OFFERED',
          message: `${role} model ${label} is not offered in ${location}${elsewhere ? `; offered there: ${elsewhere}` : ''}`,
          fix: `choose another region (\`azd env set AZURE_LOCATION <region>\`) or another version/SKU for "${role}" in infra/models.json`,
        },
      ];
    }
    const usage = usages.find(
      (entry) => entry.name?.value === `OpenAI.${wanted.sku}.${wanted.model}`,
    );
    const held = reprovisioning ? wanted.capacity : 0;
    const free = usage === undefined ? 0 : (usage.limit ?? 0) - (usage.currentValue ?? 0) + held;
    if (free < wanted.capacity) {
      return [
        {
          code: 'QUOTA_SHORT',
          message: `${role} model ${label} needs ${wanted.capacity}K tokens/min in ${location}, and ${free}K are free (used ${usage?.currentValue ?? 0} of ${usage?.limit ?? 0})`,
          fix: `lower "capacity" of "${role}" in infra/models.json to ${Math.max(free, 0)} or less, choose another region, or request more quota for ${wanted.sku} ${wanted.model}`,
        },
      ];
    }
    return [];
  });
}
