import { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { servedRoutes } from './app.ts';
import { methodNotAllowed } from './error-handler.ts';

const ok = () => undefined;

describe('servedRoutes (the 404 problem lists them, the conformance suite targets them)', () => {
  it('lists each method a router declares on its path, and not the catch-all 405', () => {
    const router = Router();
    router.post('/api/chat', ok);
    router.all('/api/chat', methodNotAllowed('POST'));
    router.route('/api/items/:id').get(ok).put(ok);
    expect(servedRoutes(router)).toEqual([
      'POST /api/chat',
      'GET /api/items/:id',
      'PUT /api/items/:id',
    ]);
  });

  it('lists a route declared on several paths on each, and a router mounted on a path under it', () => {
    const admin = Router();
    admin.post('/summarise', ok);
    admin.patch(['/a', '/b'], ok);
    const nested = Router();
    nested.delete('/x', ok);
    admin.use(nested);
    const router = Router();
    router.post(['/api/one', '/api/two'], ok);
    router.use('/api/admin/', admin);
    router.use((_req, _res, next) => next());
    router.post(/^\/regexp$/, ok);
    expect(servedRoutes(router)).toEqual([
      'POST /api/one',
      'POST /api/two',
      'POST /api/admin/summarise',
      'PATCH /api/admin/a',
      'PATCH /api/admin/b',
      'DELETE /api/admin/x',
    ]);
  });
});
