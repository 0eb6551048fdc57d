import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { grantsByKind, roles } from '@keyless/roles';
import { describe, expect, it } from 'vitest';
import { buildRolesJson, renderRolesJson, rolesJsonPath } from '../src/roles-json.ts';
import { infraDir } from './fixture.ts';

describe('roles.json, the catalogue the Bicep loads', () => {
  it('is exactly what npm run roles:sync -w @keyless/infra generates from @keyless/roles', () => {
    expect(readFileSync(join(infraDir, rolesJsonPath), 'utf8')).toBe(renderRolesJson());
  });

  it('names the slot of the worker entry a storage grant applies to, not a queue name', () => {
    const worker = buildRolesJson().grantsByKind['worker'] ?? [];
    expect(worker).toContainEqual({
      role: 'queueMessageSender',
      roleName: roles.queueMessageSender.name,
      roleDefinitionId: roles.queueMessageSender.id,
      scope: 'storage-queue',
      target: 'poisonQueue',
    });
    expect(worker).toHaveLength(grantsByKind.worker.length);
  });

  it('writes an empty target for whole-resource grants, since Bicep has no undefined', () => {
    expect(buildRolesJson().grantsByKind['api']?.every((grant) => grant.target === '')).toBe(true);
  });
});
