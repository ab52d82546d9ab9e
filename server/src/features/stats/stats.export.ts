import type { EventStatsDto } from '../../../../shared/stats';
import { CSV_BOM, csvRow } from '../exports/csv';

/** The pulse as one CSV: totals, top startups, then company pairs (aggregates only). */
export function eventStatsCsv(stats: EventStatsDto): string {
  const names = new Map(stats.network.nodes.map((n) => [n.id, n.company]));
  const rows: (string | number)[][] = [
    ['total', 'handshakes', '', stats.handshakes, '', ''],
    ['total', 'active attendees (15 min)', '', stats.activeAttendees, '', ''],
    ['total', 'members', '', stats.members, '', ''],
    ['total', 'co-operation tags', '', stats.cooperation, '', ''],
    ['total', 'competition tags', '', stats.competition, '', ''],
    ['total', 'untagged contacts', '', stats.untagged, '', ''],
    ...stats.topStartups.map((s) => ['startup leads', s.name, '', s.leads, '', '']),
    ...stats.network.nodes.map((n) => ['company', n.company, '', n.handshakes, '', '']),
    ...stats.network.edges.map((e) => [
      'company pair',
      names.get(e.a) ?? e.a,
      names.get(e.b) ?? e.b,
      e.count,
      e.cooperation,
      e.competition,
    ]),
  ];
  const header = [
    'Section',
    'Name',
    'Met with',
    'Handshakes / count',
    'Co-operation',
    'Competition',
  ];
  return CSV_BOM + [header, ...rows].map(csvRow).join('');
}
