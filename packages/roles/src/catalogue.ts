/**
 * The Azure built-in roles this template grants, with the data actions that matter to it.
 * Ids and data actions are Azure's own (`az role definition list --name "<role name>"`); the
 * infra, the local emulator's RBAC and the generator all read them from here, so that what works
 * locally is what Azure allows.
 */
export interface RoleDefinition {
  /** The built-in role's name, exactly as Azure spells it. */
  readonly name: string;
  /** The built-in role definition id (a GUID, the same in every tenant). */
  readonly id: string;
  /** The data-plane actions the role grants; `*` matches any run of characters. */
  readonly dataActions: readonly string[];
  /** Control-plane actions the template relies on (for example AcrPull's image pull). */
  readonly actions: readonly string[];
  /** Which kind of resource an assignment of this role is scoped to. */
  readonly scope: RoleScopeKind;
}

export type RoleScopeKind =
  'openai' | 'storage-queue' | 'storage-container' | 'registry' | 'monitor';

const openAi = 'Microsoft.CognitiveServices/accounts/OpenAI';
const queueMessages = 'Microsoft.Storage/storageAccounts/queueServices/queues/messages';
const blobs = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs';

export const roles = {
  openAiUser: {
    name: 'Cognitive Services OpenAI User',
    id: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
    actions: ['Microsoft.CognitiveServices/*/read'],
    dataActions: [
      `${openAi}/*/read`,
      `${openAi}/engines/completions/action`,
      `${openAi}/engines/search/action`,
      `${openAi}/engines/generate/action`,
      `${openAi}/deployments/search/action`,
      `${openAi}/deployments/completions/action`,
      `${openAi}/deployments/chat/completions/action`,
      `${openAi}/deployments/extensions/chat/completions/action`,
      `${openAi}/deployments/embeddings/action`,
      `${openAi}/images/generations/action`,
      // The Responses API (create = responses/write, retrieve = responses/read, delete = responses/delete).
      `${openAi}/responses/*`,
    ],
    scope: 'openai',
  },
  openAiContributor: {
    name: 'Cognitive Services OpenAI Contributor',
    id: 'a001fd3d-188f-4b5d-821b-7da978bf7442',
    actions: [
      'Microsoft.CognitiveServices/*/read',
      'Microsoft.CognitiveServices/accounts/deployments/write',
    ],
    dataActions: [`${openAi}/*`],
    scope: 'openai',
  },
  queueMessageSender: {
    name: 'Storage Queue Data Message Sender',
    id: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a',
    actions: [],
    dataActions: [`${queueMessages}/add/action`],
    scope: 'storage-queue',
  },
  queueDataContributor: {
    name: 'Storage Queue Data Contributor',
    id: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
    actions: [
      'Microsoft.Storage/storageAccounts/queueServices/queues/read',
      'Microsoft.Storage/storageAccounts/queueServices/queues/write',
    ],
    dataActions: [
      `${queueMessages}/read`,
      `${queueMessages}/write`,
      `${queueMessages}/delete`,
      `${queueMessages}/add/action`,
      `${queueMessages}/process/action`,
    ],
    scope: 'storage-queue',
  },
  blobDataContributor: {
    name: 'Storage Blob Data Contributor',
    id: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
    actions: [
      'Microsoft.Storage/storageAccounts/blobServices/containers/read',
      'Microsoft.Storage/storageAccounts/blobServices/containers/write',
    ],
    dataActions: [
      `${blobs}/read`,
      `${blobs}/write`,
      `${blobs}/delete`,
      `${blobs}/add/action`,
      `${blobs}/move/action`,
    ],
    scope: 'storage-container',
  },
  acrPull: {
    name: 'AcrPull',
    id: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
    actions: ['Microsoft.ContainerRegistry/registries/pull/read'],
    dataActions: [],
    scope: 'registry',
  },
  // Lets an identity send telemetry to an Application Insights resource whose local
  // (instrumentation-key) authentication is disabled: Entra-only ingestion.
  monitoringMetricsPublisher: {
    name: 'Monitoring Metrics Publisher',
    id: '3913510d-42f4-4e42-8a64-420c390055eb',
    actions: [
      'Microsoft.Insights/Register/Action',
      'Microsoft.Support/*',
      'Microsoft.Resources/subscriptions/resourceGroups/read',
    ],
    dataActions: ['Microsoft.Insights/Metrics/Write', 'Microsoft.Insights/Telemetry/Write'],
    scope: 'monitor',
  },
} as const satisfies Record<string, RoleDefinition>;

export type RoleKey = keyof typeof roles;

/** Every role in the catalogue, least privileged first within each area. */
export const allRoles: readonly RoleDefinition[] = Object.values(roles);
