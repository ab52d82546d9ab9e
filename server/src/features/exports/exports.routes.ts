import { Router, type Response } from 'express';
import { ContactExportQuerySchema } from '../../../../shared/exports';
import { parseInput } from '../../http/validate';
import { getActor, requireAuth } from '../auth/auth.middleware';
import type { FeatureDeps } from '../index';
import {
  exportContacts,
  exportContactVCard,
  exportPublicVCard,
  type ExportFile,
} from './exports.service';
import { attachment } from './filename';

/** Writes an export with backpressure; stops reading the cursor if the client goes away. */
async function send(res: Response, file: ExportFile): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', attachment(file.filename));
  res.setHeader('Cache-Control', 'no-store');
  let closed = false;
  res.once('close', () => {
    closed = true;
  });
  for await (const chunk of file.chunks) {
    if (closed) return;
    if (!res.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  }
  res.end();
}

const param = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * `GET /api/contacts/export`, `GET /api/contacts/:contactId/vcard`, `GET /api/x/:token/vcard`.
 * Mounted before the contacts router, whose `/contacts/:contactId` would take "export".
 */
export function exportRoutes(deps: FeatureDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);

  router.get('/contacts/export', auth, async (req, res) => {
    const actor = getActor(res);
    const query = parseInput(ContactExportQuerySchema, req.query);
    await send(res, await exportContacts(actor, query));
  });

  router.get('/contacts/:contactId/vcard', auth, async (req, res) => {
    await send(res, await exportContactVCard(getActor(res), param(req.params.contactId)));
  });

  router.get('/x/:token/vcard', async (req, res) => {
    await send(res, await exportPublicVCard(deps, param(req.params.token)));
  });

  return router;
}
