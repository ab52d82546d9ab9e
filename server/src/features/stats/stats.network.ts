import type { Types } from 'mongoose';
import {
  PULSE_LIMITS,
  type PulseCompanyEdgeDto,
  type PulseCompanyNodeDto,
} from '../../../../shared/stats';
import {
  EventCompanyNameStatsModel,
  EventCompanyStatsModel,
  EventPairStatsModel,
  pairStatsId,
} from './stats.model';

/** The spelling most of a company's people use; ties go to the first in locale order. */
function spellingOf(names: { name: string; people: number }[], key: string): string {
  const sorted = [...names].sort((x, y) => y.people - x.people || x.name.localeCompare(y.name));
  return sorted[0]?.name ?? key;
}

/**
 * Which companies met which, aggregated per company pair: handshakes between their people
 * and how those people tagged each other. Read from the event's aggregate documents (the
 * largest companies, then only pairs among them), so it costs the size of the picture.
 * Pairs with fewer than {@link PULSE_LIMITS.minPairHandshakes} handshakes are dropped so a
 * tag split cannot be traced back to one person. A company someone hides on their card is
 * never recorded, so it cannot appear.
 */
export async function buildCompanyNetwork(eventId: Types.ObjectId): Promise<{
  nodes: PulseCompanyNodeDto[];
  edges: PulseCompanyEdgeDto[];
  minPairHandshakes: number;
}> {
  const companies = await EventCompanyStatsModel.find(
    { eventId, handshakes: { $gt: 0 } },
    { key: 1, people: 1, handshakes: 1, _id: 0 },
  )
    .sort({ handshakes: -1, key: 1 })
    .limit(PULSE_LIMITS.networkNodes)
    .lean();
  const keys = companies.map((c) => c.key);
  const [names, pairs] = await Promise.all([
    EventCompanyNameStatsModel.find(
      { eventId, key: { $in: keys }, people: { $gt: 0 } },
      { key: 1, name: 1, people: 1, _id: 0 },
    ).lean(),
    // Every pair among the shown companies, looked up by id: nothing else is read. The
    // filter stays a bare id list (an index answers it exactly); small pairs sort last
    // and are dropped below.
    EventPairStatsModel.find(
      {
        _id: {
          $in: keys.flatMap((a, i) => keys.slice(i + 1).map((b) => pairStatsId(eventId, a, b))),
        },
      },
      { a: 1, b: 1, count: 1, cooperation: 1, competition: 1, _id: 0 },
    )
      .sort({ count: -1, a: 1, b: 1 })
      .limit(PULSE_LIMITS.networkEdges)
      .lean(),
  ]);
  const namesOf = new Map<string, { name: string; people: number }[]>();
  for (const row of names) {
    let list = namesOf.get(row.key);
    if (!list) namesOf.set(row.key, (list = []));
    list.push(row);
  }
  const nodes = companies.map((c): PulseCompanyNodeDto => ({
    id: c.key,
    company: spellingOf(namesOf.get(c.key) ?? [], c.key),
    people: c.people,
    handshakes: c.handshakes,
  }));
  const edges = pairs
    .filter((p) => p.count >= PULSE_LIMITS.minPairHandshakes)
    .map((p): PulseCompanyEdgeDto => ({
      a: p.a,
      b: p.b,
      count: p.count,
      cooperation: p.cooperation,
      competition: p.competition,
    }));
  return { nodes, edges, minPairHandshakes: PULSE_LIMITS.minPairHandshakes };
}
