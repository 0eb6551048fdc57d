import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModels } from '@keyless/registry';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PredictedResource, Snapshot } from '../src/cli/run.ts';
import { formatFindings, checkPolicy } from '../src/policy/index.ts';
import { renderReference } from '../src/reference.ts';
import { placeholderDeployer, type Verification } from '../src/verify.ts';
import { bicepPath, bicepVersion, infraDir, repoRoot, verified } from './fixture.ts';

const ofType = (resources: readonly PredictedResource[], type: string) =>
  resources.filter((resource) => resource.type === type);
const app = (resources: readonly PredictedResource[], service: string) =>
  ofType(resources, 'Microsoft.App/containerApps').find(
    (candidate) => candidate.tags?.['azd-service-name'] === service,
  );

describe.runIf(bicepPath)('infra/ under the real Bicep CLI', () => {
  let result: Verification;
  // The same template evaluated as for a deployer who could not create app registrations.
  let withoutAppIds: Snapshot;
  beforeAll(() => {
    ({ verification: result, withoutAppIds } = verified());
    console.log(
      `infra: ${bicepVersion}: ${result.buildDiagnostics.length} build and ${result.lintDiagnostics.length} lint diagnostics, ${result.findings.length} policy findings`,
    );
  });

  it('compiles main.bicep and every module with no error and no warning', () => {
    expect(result.buildDiagnostics).toEqual([]);
  });

  it('lints clean with the committed bicepconfig.json', () => {
    expect(result.lintDiagnostics).toEqual([]);
  });

  it('passes every keyless policy check on the compiled template, with and without app registrations', () => {
    expect(formatFindings(result.findings)).toBe('');
    const internal = checkPolicy({
      template: result.template,
      snapshot: withoutAppIds,
      services: result.services,
      deployer: placeholderDeployer,
    });
    expect(formatFindings(internal)).toBe('');
  });

  it('deploys one Container App per services.json entry', () => {
    const apps = ofType(result.snapshot.predictedResources, 'Microsoft.App/containerApps');
    expect(apps.map((candidate) => candidate.tags?.['azd-service-name']).sort()).toEqual(
      result.services.map((service) => service.name).sort(),
    );
  });

  it('puts an api on the internet only behind Entra ID, and keeps it internal without an app registration', () => {
    const ingress = (resources: readonly PredictedResource[]) =>
      (app(resources, 'api')?.properties?.['configuration'] as { ingress?: { external?: boolean } })
        .ingress;
    expect(ingress(result.snapshot.predictedResources)?.external).toBe(true);
    expect(
      ofType(result.snapshot.predictedResources, 'Microsoft.App/containerApps/authConfigs'),
    ).toHaveLength(1);
    expect(ingress(withoutAppIds.predictedResources)?.external).toBe(false);
    expect(
      ofType(withoutAppIds.predictedResources, 'Microsoft.App/containerApps/authConfigs'),
    ).toEqual([]);
  });

  it('creates Application Insights on the workspace with local authentication off', () => {
    const [insights] = ofType(result.snapshot.predictedResources, 'Microsoft.Insights/components');
    expect(insights?.properties).toMatchObject({ DisableLocalAuth: true });
    expect(String(insights?.properties?.['WorkspaceResourceId'])).toContain(
      'Microsoft.OperationalInsights/workspaces',
    );
  });

  it('grants every service identity Monitoring Metrics Publisher on Application Insights', () => {
    const publishers = ofType(
      result.snapshot.predictedResources,
      'Microsoft.Authorization/roleAssignments',
    ).filter(
      (assignment) =>
        assignment.id.includes('/Microsoft.Insights/components/') &&
        String(assignment.properties?.['roleDefinitionId']).endsWith(
          '3913510d-42f4-4e42-8a64-420c390055eb',
        ) &&
        assignment.properties?.['principalType'] === 'ServicePrincipal',
    );
    expect(publishers).toHaveLength(result.services.length);
  });

  it('deploys the chat and embedding models of infra/models.json', () => {
    const models = readModels(repoRoot);
    const deployments = ofType(
      result.snapshot.predictedResources,
      'Microsoft.CognitiveServices/accounts/deployments',
    );
    expect(deployments.map((deployment) => deployment.name.split('/')[1])).toEqual([
      models.chat.deployment,
      models.embedding.deployment,
    ]);
    expect(deployments[0]?.properties?.['model']).toMatchObject({
      name: models.chat.model,
      version: models.chat.version,
    });
  });

  it('has REFERENCE.md as `npm run reference:sync -w @keyless/infra` writes it', async () => {
    const file = join(infraDir, 'REFERENCE.md');
    const expected = await renderReference({
      file,
      template: result.template,
      parameters: JSON.parse(readFileSync(join(infraDir, 'main.parameters.json'), 'utf8')) as never,
      services: result.services,
      models: readModels(repoRoot),
    });
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });
});
