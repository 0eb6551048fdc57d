import { allRoles, type RoleDefinition } from './catalogue.ts';

/** The data action Azure checks for each Azure OpenAI data-plane operation this template calls. */
export const openAiDataActions = {
  chatCompletions:
    'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
  embeddings: 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/embeddings/action',
  listModels: 'Microsoft.CognitiveServices/accounts/OpenAI/models/read',
  responsesCreate: 'Microsoft.CognitiveServices/accounts/OpenAI/responses/write',
  responsesRead: 'Microsoft.CognitiveServices/accounts/OpenAI/responses/read',
  responsesDelete: 'Microsoft.CognitiveServices/accounts/OpenAI/responses/delete',
} as const;

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Whether a role grants a data action, honouring Azure's `*` wildcards (case-insensitive, as Azure compares). */
export function grantsDataAction(role: RoleDefinition, dataAction: string): boolean {
  return role.dataActions.some((pattern) => patternToRegExp(pattern).test(dataAction));
}

/** Looks a built-in role up by its name or id; undefined when the catalogue does not hold it. */
export function findRole(nameOrId: string): RoleDefinition | undefined {
  const wanted = nameOrId.toLowerCase();
  return allRoles.find((role) => role.name.toLowerCase() === wanted || role.id === wanted);
}

/** The least-privileged catalogue role that grants a data action (the one to tell a user to assign). */
export function roleGranting(dataAction: string): RoleDefinition | undefined {
  return allRoles.find((role) => grantsDataAction(role, dataAction));
}
