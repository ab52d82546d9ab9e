import { Router } from 'express';
import type { HealthResponse } from '../../../../shared/api';
import { APP_VERSION } from '../../version';

export function healthRoutes(dbKind: HealthResponse['db']): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    const body: HealthResponse = { status: 'ok', db: dbKind, version: APP_VERSION };
    res.json(body);
  });
  return router;
}
