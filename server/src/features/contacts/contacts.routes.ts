import { Router, type Request } from 'express';
import { ContactListQuerySchema, ContactUpdateSchema } from '../../../../shared/contacts';
import type { ContactListResponse, ContactResponse } from '../../../../shared/contacts';
import { ClientRefSchema } from '../../../../shared/exchange';
import { parseInput } from '../../http/validate';
import { getActor, requireAuth } from '../auth/auth.middleware';
import type { FeatureDeps } from '../index';
import { getContact, listContacts, updateContact } from './contacts.service';

/** `X-Request-Id`, echoed in `contact:updated` so the device that made a change can skip it. */
function requestIdOf(req: Request): string | undefined {
  const parsed = ClientRefSchema.safeParse(req.get('x-request-id'));
  return parsed.success ? parsed.data : undefined;
}

function pathParam(req: Request, name: string): string {
  const value: unknown = req.params[name];
  return typeof value === 'string' ? value : '';
}

/** `/api/contacts`: the actor's own contacts only. */
export function contactsRoutes(deps: FeatureDeps): Router {
  const router = Router();
  const auth = requireAuth(deps);

  router.get('/contacts', auth, async (req, res) => {
    const query = parseInput(ContactListQuerySchema, req.query);
    const body: ContactListResponse = await listContacts(getActor(res), query);
    res.json(body);
  });

  router.get('/contacts/:contactId', auth, async (req, res) => {
    const body: ContactResponse = {
      contact: await getContact(getActor(res), pathParam(req, 'contactId')),
    };
    res.json(body);
  });

  router.patch('/contacts/:contactId', auth, async (req, res) => {
    const input = parseInput(ContactUpdateSchema, req.body);
    const contact = await updateContact(
      deps,
      getActor(res),
      pathParam(req, 'contactId'),
      input,
      requestIdOf(req),
    );
    const body: ContactResponse = { contact };
    res.json(body);
  });

  return router;
}
