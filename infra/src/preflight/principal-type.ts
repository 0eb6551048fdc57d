/**
 * The type of the principal azd deploys as. CI signs in as a service principal, and a role
 * assignment made with the wrong type fails with UnmatchedPrincipalType: GitHub Actions
 * (GITHUB_ACTIONS=true) and Azure Pipelines (TF_BUILD=True) are detected; AZURE_PRINCIPAL_TYPE,
 * when set, wins.
 */
export function principalType(env: Readonly<Record<string, string | undefined>>): {
  /** 'User', 'ServicePrincipal', or whatever AZURE_PRINCIPAL_TYPE says. */
  type: string;
  reason: string;
} {
  const explicit = env['AZURE_PRINCIPAL_TYPE'];
  if (explicit !== undefined && explicit !== '')
    return { type: explicit, reason: 'AZURE_PRINCIPAL_TYPE is set' };
  if (env['GITHUB_ACTIONS'] === 'true')
    return { type: 'ServicePrincipal', reason: 'running in GitHub Actions' };
  if ((env['TF_BUILD'] ?? '').toLowerCase() === 'true')
    return { type: 'ServicePrincipal', reason: 'running in Azure Pipelines' };
  return { type: 'User', reason: 'a developer signed in with az/azd' };
}
