import type { Types } from 'mongoose';
import {
  PULSE_LIMITS,
  type PulseCompanyEdgeDto,
  type PulseCompanyNodeDto,
} from '../../../../shared/stats';
import { CardModel } from '../cards/cards.model';
import { ContactModel } from '../contacts/contacts.model';
import { MembershipModel } from '../events/events.model';
import { HandshakeModel } from '../exchange/exchange.model';
import { foldText } from '../leads/leads.text';

interface CompanyOf {
  key: string;
  name: string;
}

/**
 * Each member's company from their card, only when they show it (a hidden company stays
 * hidden, even in aggregates). People without one are left out of the picture.
 */
async function companiesOf(eventId: Types.ObjectId): Promise<Map<string, CompanyOf>> {
  const members = await MembershipModel.find({ eventId }, { userId: 1, _id: 0 }).lean();
  const cards = await CardModel.find(
    { userId: { $in: members.map((m) => m.userId) } },
    { userId: 1, company: 1, 'visibility.company': 1, _id: 0 },
  ).lean<{ userId: Types.ObjectId; company?: string; visibility?: { company?: boolean } }[]>();
  const byUser = new Map<string, CompanyOf>();
  for (const card of cards) {
    const name = (card.company ?? '').trim();
    if (!name || card.visibility?.company === false) continue;
    byUser.set(card.userId.toString(), { key: foldText(name), name });
  }
  return byUser;
}

function edgeKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/**
 * Which companies met which, aggregated per company pair: handshakes between their people
 * and how those people tagged each other. Only totals leave this function, and pairs with
 * fewer than {@link PULSE_LIMITS.minPairHandshakes} handshakes are dropped so a tag split
 * cannot be traced back to one person.
 */
export async function buildCompanyNetwork(eventId: Types.ObjectId): Promise<{
  nodes: PulseCompanyNodeDto[];
  edges: PulseCompanyEdgeDto[];
  minPairHandshakes: number;
}> {
  const [companies, handshakes, tagged] = await Promise.all([
    companiesOf(eventId),
    HandshakeModel.find({ eventId }, { pairKey: 1, _id: 0 }).batchSize(20_000).lean(),
    ContactModel.find(
      { eventIds: eventId, tag: { $in: ['cooperation', 'competition'] } },
      { ownerId: 1, otherUserId: 1, tag: 1, _id: 0 },
    )
      .batchSize(20_000)
      .lean(),
  ]);

  const people = new Map<string, Set<string>>();
  const spellings = new Map<string, Map<string, number>>();
  for (const [userId, company] of companies) {
    let set = people.get(company.key);
    if (!set) people.set(company.key, (set = new Set()));
    set.add(userId);
    let names = spellings.get(company.key);
    if (!names) spellings.set(company.key, (names = new Map()));
    names.set(company.name, (names.get(company.name) ?? 0) + 1);
  }

  const nodeHandshakes = new Map<string, number>();
  const edges = new Map<string, PulseCompanyEdgeDto>();
  for (const { pairKey } of handshakes) {
    const sep = pairKey.indexOf(':');
    const a = companies.get(pairKey.slice(0, sep))?.key;
    const b = companies.get(pairKey.slice(sep + 1))?.key;
    if (a !== undefined) nodeHandshakes.set(a, (nodeHandshakes.get(a) ?? 0) + 1);
    if (b !== undefined && b !== a) nodeHandshakes.set(b, (nodeHandshakes.get(b) ?? 0) + 1);
    if (a === undefined || b === undefined || a === b) continue;
    const key = edgeKey(a, b);
    const edge = edges.get(key);
    if (edge) edge.count += 1;
    else {
      const [x, y] = a < b ? [a, b] : [b, a];
      edges.set(key, { a: x, b: y, count: 1, cooperation: 0, competition: 0 });
    }
  }
  for (const contact of tagged) {
    const a = companies.get(contact.ownerId.toString())?.key;
    const b = companies.get(contact.otherUserId.toString())?.key;
    if (a === undefined || b === undefined || a === b) continue;
    const edge = edges.get(edgeKey(a, b));
    if (!edge) continue;
    if (contact.tag === 'cooperation') edge.cooperation += 1;
    else edge.competition += 1;
  }

  const nodes = [...nodeHandshakes.entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, PULSE_LIMITS.networkNodes)
    .map(([key, count]): PulseCompanyNodeDto => {
      const names = [...(spellings.get(key) ?? new Map<string, number>()).entries()];
      names.sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
      return {
        id: key,
        company: names[0]?.[0] ?? key,
        people: people.get(key)?.size ?? 0,
        handshakes: count,
      };
    });
  const kept = new Set(nodes.map((n) => n.id));
  const keptEdges = [...edges.values()]
    .filter((e) => e.count >= PULSE_LIMITS.minPairHandshakes && kept.has(e.a) && kept.has(e.b))
    .sort((x, y) => y.count - x.count || (x.a + x.b < y.a + y.b ? -1 : 1))
    .slice(0, PULSE_LIMITS.networkEdges);
  return { nodes, edges: keptEdges, minPairHandshakes: PULSE_LIMITS.minPairHandshakes };
}
