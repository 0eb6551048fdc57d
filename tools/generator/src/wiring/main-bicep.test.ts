import { describe, expect, it } from 'vitest';
import { addBicepService } from './main-bicep.ts';

const bicep = `param location string

// ── service parameters: api ──
@description('Image of the api service; azd sets SERVICE_API_IMAGE_NAME after the first deploy.')
param apiImageName string = ''
// ── end service parameters: api ──

// ── service: api (kind api) ──
module api 'app/api.bicep' = {
  name: 'service-api'
  params: {
    serviceName: 'api'
    port: 3000
    imageName: apiImageName
  }
}
// ── end service: api ──

// ── service outputs: api ──
output SERVICE_API_NAME string = api.outputs.name
// ── end service outputs: api ──
`;

describe('addBicepService', () => {
  it('copies the blocks of a service of the same kind, renamed, after the last of each section', () => {
    const result = addBicepService(bicep, { name: 'doc-search', kind: 'api', port: 3002 });
    expect(result).toContain(
      `// ── end service parameters: api ──

// ── service parameters: doc-search ──
@description('Image of the doc-search service; azd sets SERVICE_DOC_SEARCH_IMAGE_NAME after the first deploy.')
param docSearchImageName string = ''
// ── end service parameters: doc-search ──`,
    );
    // The kind's module keeps its path even though the model service is also called "api".
    expect(result).toContain(`module docSearch 'app/api.bicep' = {
  name: 'service-doc-search'
  params: {
    serviceName: 'doc-search'
    port: 3002
    imageName: docSearchImageName`);
    expect(result).toContain(
      'output SERVICE_DOC_SEARCH_NAME string = docSearch.outputs.name\n// ── end service outputs: doc-search ──\n',
    );
    expect(
      result.startsWith(bicep.slice(0, bicep.indexOf('// ── end service parameters: api ──'))),
    ).toBe(true);
  });

  it('says what to restore when there is no service of that kind to copy', () => {
    expect(() => addBicepService(bicep, { name: 'jobs', kind: 'worker', port: 3002 })).toThrow(
      /no "\/\/ ── service: <name> \(kind worker\) ──" block/,
    );
  });
});
