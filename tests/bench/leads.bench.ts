/**
 * Lead board and organizer pulse benchmark (`npm run bench:leads`). Not a test: it prints
 * numbers and never fails.
 *
 * - A team with 10,000 leads: p50/p95 of a filtered + searched lead-board page, measured
 *   end to end through HTTP on loopback (auth, validation, query, names, JSON).
 * - An event with 100,000 handshakes (and their 200,000 contacts): time to compute the
 *   pulse with its company network, through the service and through HTTP.
 *
 * The app runs in-process against a fresh database (the embedded store, or MONGODB_URI);
 * data is seeded in bulk through the driver (insertMany), not through the API, and the
 * pulse aggregates are seeded from the same documents by the rebuild's aggregation.
 */
import { Types } from 'mongoose';
import { ContactModel } from '../../server/src/features/contacts/contacts.model';
import { CardModel } from '../../server/src/features/cards/cards.model';
import { MembershipModel } from '../../server/src/features/events/events.model';
import { HandshakeModel } from '../../server/src/features/exchange/exchange.model';
import { LeadModel } from '../../server/src/features/leads/leads.model';
import { foldText } from '../../server/src/features/leads/leads.text';
import { buildCompanyNetwork } from '../../server/src/features/stats/stats.network';
import {
  aggregateEventStats,
  writeEventAggregates,
} from '../../server/src/features/stats/stats.rebuild';
import { recordHandshakeStats } from '../../server/src/features/stats/stats.record';
import {
  computeEventCounts,
  computeEventStats,
} from '../../server/src/features/stats/stats.service';
import type { ContactTag } from '../../shared/contacts';
import { createTestEvent, registerUser } from '../helpers/accounts';
import { startTestServer } from '../helpers/server';
import { createTestTeam } from '../server/teams.fixtures';

/** `--leads=N --handshakes=N` change the sizes (defaults: the targets' sizes). */
function arg(name: string, fallback: number): number {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.slice(name.length + 3)) : fallback;
}
const LEADS = arg('leads', 10_000);
const HANDSHAKES = arg('handshakes', 100_000);
const ATTENDEES = 3_000;
const COMPANIES = 150;
const BATCH = 2_000;
/** Pulse reads are cheap now: enough runs for a median on a busy machine. */
const RUNS = 10;

const FIRST = ['Élodie', 'Marc', 'Zoé', 'Hugo', 'Inès', 'Jonas', 'Chloé', 'Noah', 'Léa', 'Omar'];
const LAST = ['Durand', 'Martin', 'Bernard', 'Petit', 'Moreau', 'Lefèvre', 'Garcia', 'Roux'];
const COMPANY = (i: number) => `${['Acme', 'Beta', 'Nova', 'Orbital', 'Vélo'][i % 5]} ${i}`;

/** Deterministic pseudo-random numbers so runs are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function insertInBatches(
  insert: (docs: Record<string, unknown>[]) => Promise<unknown>,
  docs: Record<string, unknown>[],
): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) await insert(docs.slice(i, i + BATCH));
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

async function main(): Promise<void> {
  const server = await startTestServer();
  const random = rng(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  try {
    console.log(`database: ${server.dbKind}`);
    const owner = await registerUser(server.url, { name: 'Olga Owner' });
    const team = await createTestTeam(server.url, owner, 'Bench Robotics');
    const organizer = await registerUser(server.url, { name: 'Oriane Organizer' });
    const event = await createTestEvent(server.url, organizer, { name: 'Bench night' });
    const teamId = new Types.ObjectId(team.id);
    const eventId = new Types.ObjectId(event.id);
    const staff = [
      new Types.ObjectId(owner.user.id),
      ...Array.from({ length: 4 }, () => new Types.ObjectId()),
    ];
    const events = [eventId, new Types.ObjectId(), new Types.ObjectId()];

    // --- 10,000 leads -------------------------------------------------------------
    const now = Date.now();
    const leads = Array.from({ length: LEADS }, (_, i) => {
      const fullName = `${pick(FIRST)} ${pick(LAST)} ${i}`;
      const company = COMPANY(i % 400);
      const encounters = Array.from({ length: 1 + (i % 3 === 0 ? 1 : 0) }, () => ({
        memberId: pick(staff),
        eventId: pick(events),
        at: new Date(now - Math.floor(random() * 30 * 86_400_000)),
        handshakeId: new Types.ObjectId(),
      }));
      const times = encounters.map((e) => e.at.getTime());
      return {
        teamId,
        personId: new Types.ObjectId(),
        person: {
          fullName,
          title: 'CTO',
          company,
          email: `p${i}@example.org`,
          phone: '',
          website: '',
          linkedin: '',
        },
        nameKey: foldText(fullName),
        companyKey: foldText(company),
        searchText: foldText(`${fullName} ${company} CTO p${i}@example.org`),
        encounters,
        encounterCount: encounters.length,
        memberIds: [...new Set(encounters.map((e) => e.memberId.toString()))].map(
          (id) => new Types.ObjectId(id),
        ),
        eventIds: [...new Set(encounters.map((e) => e.eventId.toString()))].map(
          (id) => new Types.ObjectId(id),
        ),
        firstMetAt: new Date(Math.min(...times)),
        lastMetAt: new Date(Math.max(...times)),
        tag: pick(['cooperation', 'competition', 'none', 'none']),
        rating: pick(['hot', 'warm', 'cold', null]),
        assigneeId: null,
        followedUp: random() < 0.3,
        notes: [],
        noteCount: 0,
        createdAt: new Date(),
        updatedAt: new Date(),
      };
    });
    const [, seedLeadsMs] = await timed(() =>
      insertInBatches((docs) => LeadModel.collection.insertMany(docs), leads),
    );
    console.log(`seeded ${LEADS} leads in ${(seedLeadsMs / 1000).toFixed(1)} s`);

    const queries = [
      `?tag=cooperation&q=durand&sort=recent&limit=25`,
      `?eventId=${event.id}&q=acme&sort=name&limit=25`,
      `?memberId=${owner.user.id}&tag=untagged&q=elodie&sort=company&limit=25`,
      `?rating=hot&q=nova%2012&sort=recent&limit=25`,
      `?sort=recent&limit=25`,
    ];
    const headers = owner.headers;
    for (const query of queries) {
      const base = `${server.url}/api/teams/${team.id}/leads${query}`;
      for (let i = 0; i < 10; i += 1) await (await fetch(base, { headers })).arrayBuffer();
      const samples: number[] = [];
      let items = 0;
      for (let i = 0; i < 100; i += 1) {
        const start = performance.now();
        const res = await fetch(base, { headers });
        const body = (await res.json()) as { items: unknown[] };
        samples.push(performance.now() - start);
        items = body.items.length;
      }
      samples.sort((a, b) => a - b);
      console.log(
        `board ${query.padEnd(70)} items=${String(items).padStart(2)}  p50=${percentile(samples, 50).toFixed(1)} ms  p95=${percentile(samples, 95).toFixed(1)} ms  (target p95 < 50 ms)`,
      );
    }

    // --- 100,000 handshakes -------------------------------------------------------
    const attendees = Array.from({ length: ATTENDEES }, () => new Types.ObjectId());
    await insertInBatches(
      (docs) => MembershipModel.collection.insertMany(docs),
      attendees.map((userId) => ({
        eventId,
        userId,
        role: 'attendee',
        teamId: null,
        joinedAt: new Date(),
      })),
    );
    await insertInBatches(
      (docs) => CardModel.collection.insertMany(docs),
      attendees.map((userId, i) => ({
        userId,
        fullName: `Attendee ${i}`,
        company: i % 10 === 0 ? '' : COMPANY(i % COMPANIES),
        visibility: { company: i % 50 !== 1 },
        createdAt: new Date(),
        updatedAt: new Date(),
      })),
    );
    const pairs = new Set<string>();
    const handshakes: Record<string, unknown>[] = [];
    const contacts: Record<string, unknown>[] = [];
    while (handshakes.length < HANDSHAKES) {
      const a = pick(attendees).toString();
      const b = pick(attendees).toString();
      const pairKey = a < b ? `${a}:${b}` : `${b}:${a}`;
      if (a === b || pairs.has(pairKey)) continue;
      pairs.add(pairKey);
      const at = new Date(now - Math.floor(random() * 4 * 3_600_000));
      const [x, y] = [new Types.ObjectId(a), new Types.ObjectId(b)];
      handshakes.push({
        eventId,
        pairKey,
        userIds: a < b ? [x, y] : [y, x],
        initiatorId: x,
        otherId: y,
        method: 'qr',
        scannedAt: at,
        receivedAt: at,
        scanCount: 1,
        mutual: false,
        mutualAt: null,
        clientRefs: [],
        createdAt: at,
        updatedAt: at,
      });
      for (const [owner, other] of [
        [x, y],
        [y, x],
      ] as const) {
        contacts.push({
          ownerId: owner,
          otherUserId: other,
          card: { fullName: 'Someone' },
          searchText: 'someone',
          eventIds: [eventId],
          teamId: null,
          tag: pick(['cooperation', 'competition', 'none', 'none', 'none']),
          rating: null,
          note: '',
          followUp: null,
          cooperationMatchedAt: null,
          lastMetAt: at,
          createdAt: at,
          updatedAt: at,
        });
      }
    }
    const [, seedPulseMs] = await timed(async () => {
      await insertInBatches((docs) => HandshakeModel.collection.insertMany(docs), handshakes);
      await insertInBatches((docs) => ContactModel.collection.insertMany(docs), contacts);
    });
    console.log(
      `seeded ${HANDSHAKES} handshakes and ${contacts.length} contacts (${ATTENDEES} attendees, ${COMPANIES} companies) in ${(seedPulseMs / 1000).toFixed(1)} s`,
    );
    // The pulse reads aggregates the write path keeps. Data seeded around the services gets
    // them from the same aggregation the rebuild uses, fed with the seeded documents.
    // Leads at this event for "top startups" come from the 10,000 above.
    const companies = new Map(
      attendees.map((userId, i) => [
        userId.toString(),
        i % 50 !== 1 && i % 10 !== 0 ? COMPANY(i % COMPANIES) : undefined,
      ]),
    );
    const atEvent = leads.filter((lead) => lead.eventIds.some((id) => id.equals(eventId)));
    const [, seedAggregatesMs] = await timed(() =>
      writeEventAggregates(
        eventId,
        aggregateEventStats({
          handshakes: handshakes as { pairKey: string; createdAt: Date }[],
          contacts: contacts as {
            ownerId: Types.ObjectId;
            otherUserId: Types.ObjectId;
            tag: ContactTag;
          }[],
          companies,
          leadsByTeam: new Map([[team.id, atEvent.length]]),
        }),
      ),
    );
    console.log(`seeded the pulse aggregates in ${(seedAggregatesMs / 1000).toFixed(1)} s`);

    const countsRuns: number[] = [];
    const networkRuns: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      countsRuns.push((await timed(() => computeEventCounts(eventId)))[1]);
      networkRuns.push((await timed(() => buildCompanyNetwork(eventId)))[1]);
    }
    const fmt = (runs: number[]) => {
      const sorted = [...runs].sort((a, b) => a - b);
      return `min=${sorted[0]!.toFixed(0)} ms  median=${percentile(sorted, 50).toFixed(0)} ms  max=${sorted.at(-1)!.toFixed(0)} ms`;
    };
    console.log(`pulse part, counts (${RUNS} runs):          ${fmt(countsRuns)}`);
    console.log(`pulse part, company network (${RUNS} runs): ${fmt(networkRuns)}`);
    const serviceRuns: number[] = [];
    let edges = 0;
    for (let i = 0; i < RUNS; i += 1) {
      const [stats, ms] = await timed(() => computeEventStats(eventId));
      serviceRuns.push(ms);
      edges = stats.network.edges.length;
      if (i === 0) {
        console.log(
          `pulse: handshakes=${stats.handshakes} members=${stats.members} cooperation=${stats.cooperation} competition=${stats.competition} untagged=${stats.untagged} nodes=${stats.network.nodes.length} edges=${edges} topStartups=${stats.topStartups.length}`,
        );
      }
    }
    const httpRuns: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const [, ms] = await timed(async () => {
        const res = await fetch(`${server.url}/api/events/${event.id}/stats`, {
          headers: organizer.headers,
        });
        await res.json();
      });
      httpRuns.push(ms);
    }
    console.log(`pulse + network (service, ${RUNS} runs): ${fmt(serviceRuns)}  (target < 500 ms)`);
    console.log(`pulse + network (HTTP, ${RUNS} runs):    ${fmt(httpRuns)}  (target < 500 ms)`);

    // What keeping the aggregates adds to each new handshake (runs after the reads above).
    const writeRuns: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      const [x, y] = [pick(attendees), pick(attendees)];
      const [, ms] = await timed(() =>
        recordHandshakeStats([
          {
            eventId: event.id,
            at: new Date(),
            sides: [
              { userId: x.toString(), company: COMPANY(i % COMPANIES), tag: 'none' },
              { userId: y.toString(), company: COMPANY((i + 1) % COMPANIES), tag: 'none' },
            ],
          },
        ]),
      );
      writeRuns.push(ms);
    }
    writeRuns.sort((a, b) => a - b);
    console.log(
      `pulse write per new handshake (200 runs): p50=${percentile(writeRuns, 50).toFixed(1)} ms  p95=${percentile(writeRuns, 95).toFixed(1)} ms`,
    );
  } finally {
    await server.close();
  }
}

await main();
