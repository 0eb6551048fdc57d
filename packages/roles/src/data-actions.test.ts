import { describe, expect, it } from 'vitest';
import { roles } from './catalogue.ts';
import { findRole, grantsDataAction, openAiDataActions, roleGranting } from './data-actions.ts';

describe('grantsDataAction', () => {
  it('grants chat completions to Cognitive Services OpenAI User', () => {
    expect(grantsDataAction(roles.openAiUser, openAiDataActions.chatCompletions)).toBe(true);
  });

  it('grants model reads through the OpenAI User wildcard read action', () => {
    expect(grantsDataAction(roles.openAiUser, openAiDataActions.listModels)).toBe(true);
  });

  it('grants creating, reading and deleting Responses to Cognitive Services OpenAI User', () => {
    for (const action of [
      openAiDataActions.responsesCreate,
      openAiDataActions.responsesRead,
      openAiDataActions.responsesDelete,
    ]) {
      expect(grantsDataAction(roles.openAiUser, action)).toBe(true);
    }
  });

  it('does not grant Responses to a storage role', () => {
    expect(grantsDataAction(roles.queueMessageSender, openAiDataActions.responsesCreate)).toBe(
      false,
    );
  });

  it('grants every OpenAI data action to the Contributor wildcard', () => {
    expect(grantsDataAction(roles.openAiContributor, openAiDataActions.embeddings)).toBe(true);
  });

  it('does not grant OpenAI data actions to storage roles', () => {
    expect(grantsDataAction(roles.blobDataContributor, openAiDataActions.chatCompletions)).toBe(
      false,
    );
    expect(grantsDataAction(roles.acrPull, openAiDataActions.chatCompletions)).toBe(false);
  });

  it('compares data actions case-insensitively, as Azure does', () => {
    expect(grantsDataAction(roles.openAiUser, openAiDataActions.embeddings.toLowerCase())).toBe(
      true,
    );
  });

  it('treats regular-expression characters in patterns literally', () => {
    expect(
      grantsDataAction(
        roles.openAiUser,
        'Microsoft.CognitiveServicesXaccounts/OpenAI/deployments/embeddings/action',
      ),
    ).toBe(false);
  });
});

describe('roleGranting', () => {
  it('names the least-privileged role for chat completions, not the Contributor', () => {
    expect(roleGranting(openAiDataActions.chatCompletions)?.name).toBe(
      'Cognitive Services OpenAI User',
    );
  });

  it('names the Message Sender for adding queue messages, not the Contributor', () => {
    expect(
      roleGranting('Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action')
        ?.name,
    ).toBe('Storage Queue Data Message Sender');
  });

  it('returns undefined for a data action no catalogue role grants', () => {
    expect(roleGranting('Microsoft.KeyVault/vaults/secrets/getSecret/action')).toBeUndefined();
  });
});

describe('findRole', () => {
  it('finds a role by its name regardless of case', () => {
    expect(findRole('cognitive services openai user')?.id).toBe(
      '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
    );
  });

  it('finds a role by its id', () => {
    expect(findRole('a001fd3d-188f-4b5d-821b-7da978bf7442')?.name).toBe(
      'Cognitive Services OpenAI Contributor',
    );
  });

  it('returns undefined for an unknown role', () => {
    expect(findRole('Owner')).toBeUndefined();
  });
});
