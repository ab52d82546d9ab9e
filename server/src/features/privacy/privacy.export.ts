import { Types } from 'mongoose';
import type { MyDataExport } from '../../../../shared/privacy';
import type { Actor } from '../auth/actor';
import { SessionModel } from '../auth/auth.model';
import { presentUser } from '../auth/auth.presenter';
import { requireUser } from '../auth/auth.service';
import { presentCard } from '../cards/cards.presenter';
import { getCard } from '../cards/cards.service';
import { iterateContacts } from '../contacts/contacts.service';
import { EventModel } from '../events/events.model';
import { presentEvent, presentMembership } from '../events/events.presenter';
import { listMyEvents } from '../events/events.service';
import { HandshakeModel } from '../exchange/exchange.model';
import { presentHandshake, type HandshakeRecord } from '../exchange/exchange.presenter';
import { TeamModel } from '../teams/teams.model';

/** Everything held about the actor, for `GET /api/me/export`. */
export async function exportMyData(actor: Actor): Promise<MyDataExport> {
  const user = await requireUser(actor);
  const me = new Types.ObjectId(actor.userId);
  const [card, mine, organized, handshakes, teams, sessions] = await Promise.all([
    getCard(actor.userId),
    listMyEvents(actor),
    EventModel.find({ organizers: me }).exec(),
    HandshakeModel.find({ userIds: me }).sort({ createdAt: -1 }).lean<HandshakeRecord[]>(),
    TeamModel.find({ 'members.userId': me }).lean(),
    SessionModel.find({ userId: me }).sort({ createdAt: -1 }).lean(),
  ]);
  const contacts = [];
  for await (const contact of iterateContacts(actor, {})) contacts.push(contact);
  const now = Date.now();
  return {
    exportedAt: new Date(now).toISOString(),
    user: presentUser(user),
    card: card ? presentCard(card) : null,
    memberships: mine.map(({ membership }) => presentMembership(membership)),
    events: mine.map(({ event }) => presentEvent(event)),
    eventsOrganized: organized.map(presentEvent),
    contacts,
    handshakes: handshakes.map((h) => presentHandshake(h, actor.userId)),
    teams: teams.map((team) => {
      const member = team.members.find((m) => String(m.userId) === actor.userId);
      return {
        id: String(team._id),
        name: team.name,
        role: member?.role ?? 'member',
        joinedAt: (member?.joinedAt ?? team.createdAt).toISOString(),
      };
    }),
    sessions: sessions.map((s) => ({
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      userAgent: s.userAgent ?? '',
      active: !s.revokedAt && !s.rotatedAt && s.expiresAt.getTime() > now,
    })),
  };
}
