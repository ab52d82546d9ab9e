import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/api';
import type { ContactListResponse } from '../../shared/contacts';
import type {
  LeadBulkUpdateResponse,
  LeadListResponse,
  LeadResponse,
  LeadSummaryDto,
  TeamLeadStatsResponse,
} from '../../shared/leads';
import { LeadModel } from '../../server/src/features/leads/leads.model';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { requestJson } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { setCard, shakeHands, teamWithStaff } from './teams.fixtures';

describe('team leads: capture, board, detail, changes, stats, export', () => {
  let server: TestServer;
  const url = (path: string) => `${server.url}${path}`;
  let owner: TestUser;
  let ana: TestUser;
  let ben: TestUser;
  let rival: TestUser;
  let elodie: TestUser;
  let marc: TestUser;
  let zoe: TestUser;
  let loner: TestUser;
  let teamId: string;
  let rivalTeamId: string;
  let eventId: string;
  let eventName: string;

  const leads = async (query = '', user: TestUser = ana) =>
    requestJson<LeadListResponse>(url(`/api/teams/${teamId}/leads${query}`), {
      headers: user.headers,
    });
  const leadOf = async (name: string): Promise<LeadSummaryDto> => {
    const res = await leads('?limit=100');
    const lead = res.body.items.find((l) => l.person.fullName === name);
    if (!lead) throw new Error(`no lead for ${name}`);
    return lead;
  };
  const snapshot = async () => JSON.stringify(await LeadModel.find().sort({ _id: 1 }).lean());

  beforeAll(async () => {
    server = await startTestServer();
    const reg = (name: string) => registerUser(server.url, { name });
    [owner, ana, ben, rival, elodie, marc, zoe, loner] = await Promise.all([
      reg('Olga Owner'),
      reg('Ana Staff'),
      reg('Ben Staff'),
      reg('Rita Rival'),
      reg('x'),
      reg('x'),
      reg('x'),
      reg('Lou Loner'),
    ]);
    await setCard(server.url, elodie, {
      fullName: 'Élodie Durand',
      company: 'Acme Énergie',
      title: 'Head of Partnerships',
      email: 'elodie@acme.example',
      phone: '+33123456789',
    });
    await setCard(server.url, marc, { fullName: 'Marc Zed', company: '=HYPERLINK("x")' });
    await setCard(server.url, zoe, { fullName: 'Zoé Alpha', company: 'Beta Corp' });
    teamId = await teamWithStaff(server.url, owner, [ana, ben], 'Loop Robotics');
    rivalTeamId = await teamWithStaff(server.url, rival, [], 'Rival Inc');
    const organizer = await registerUser(server.url, { name: 'Org' });
    const event = await createTestEvent(server.url, organizer, { name: 'Opening night' });
    eventId = event.id;
    eventName = event.name;
    await joinTestEvent(server.url, ana, event.joinCode, { teamId });
    await joinTestEvent(server.url, ben, event.joinCode, { teamId });
    await joinTestEvent(server.url, rival, event.joinCode, { teamId: rivalTeamId });
    for (const user of [owner, elodie, marc, zoe, loner]) {
      await joinTestEvent(server.url, user, event.joinCode);
    }
    // Two staff of one team meet Élodie: one lead, two encounters. Directions differ.
    await shakeHands(server.url, eventId, ana, elodie);
    await shakeHands(server.url, eventId, elodie, ben);
    // A repeated scan adds no encounter.
    expect((await shakeHands(server.url, eventId, ana, elodie)).status).toBe(200);
    await shakeHands(server.url, eventId, ana, marc);
    await shakeHands(server.url, eventId, zoe, ben);
    // Colleagues meeting each other are not leads; a non-staff handshake is nobody's lead.
    await shakeHands(server.url, eventId, ana, ben);
    await shakeHands(server.url, eventId, loner, elodie);
    await shakeHands(server.url, eventId, rival, elodie);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('merges the person two staff met into one lead with both encounters', async () => {
    const res = await leads('?sort=name');
    expect(res.status).toBe(200);
    expect(res.body.items.map((l) => l.person.fullName)).toEqual([
      'Élodie Durand',
      'Marc Zed',
      'Zoé Alpha',
    ]);
    const lead = res.body.items[0]!;
    expect(lead).toMatchObject({
      teamId,
      person: {
        userId: elodie.user.id,
        fullName: 'Élodie Durand',
        company: 'Acme Énergie',
        email: 'elodie@acme.example',
      },
      tag: 'none',
      rating: null,
      assignee: null,
      followedUp: false,
      encounterCount: 2,
      eventIds: [eventId],
    });
    expect(lead.metBy).toEqual([
      { userId: ana.user.id, name: 'Ana Staff' },
      { userId: ben.user.id, name: 'Ben Staff' },
    ]);
    expect(await LeadModel.countDocuments({ teamId })).toBe(3);
    // The rival team got its own lead for Élodie; Lou (not staff) made none.
    expect(await LeadModel.countDocuments({ teamId: rivalTeamId })).toBe(1);
    expect(await LeadModel.countDocuments()).toBe(4);

    const detail = await requestJson<LeadResponse>(url(`/api/teams/${teamId}/leads/${lead.id}`), {
      headers: owner.headers,
    });
    expect(detail.status).toBe(200);
    expect(detail.body.lead.encounters).toEqual([
      {
        member: { userId: ana.user.id, name: 'Ana Staff' },
        eventId,
        eventName,
        at: expect.any(String),
        handshakeId: expect.stringMatching(/^[0-9a-f]{24}$/),
      },
      {
        member: { userId: ben.user.id, name: 'Ben Staff' },
        eventId,
        eventName,
        at: expect.any(String),
        handshakeId: expect.stringMatching(/^[0-9a-f]{24}$/),
      },
    ]);
  });

  it('filters by staff member, event, tag, rating, dates and folded search; sorts and pages', async () => {
    const byBen = await leads(`?memberId=${ben.user.id}&sort=name`);
    expect(byBen.body.items.map((l) => l.person.fullName)).toEqual(['Élodie Durand', 'Zoé Alpha']);
    const search = await leads('?q=ELODIE%20acme%20energie');
    expect(search.body.items.map((l) => l.person.fullName)).toEqual(['Élodie Durand']);
    const regexChars = await leads(`?q=${encodeURIComponent('.*')}`);
    expect(regexChars.body.items).toEqual([]);
    const byEvent = await leads(`?eventId=${eventId}`);
    expect(byEvent.body.items).toHaveLength(3);
    const otherEvent = await leads('?eventId=0123456789abcdef01234567');
    expect(otherEvent.body.items).toEqual([]);
    const future = await leads('?from=2099-01-01');
    expect(future.body.items).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await leads(`?from=${today}&to=${today}`)).body.items).toHaveLength(3);
    const byCompany = await leads('?sort=company');
    expect(byCompany.body.items.map((l) => l.person.company)).toEqual([
      '=HYPERLINK("x")',
      'Acme Énergie',
      'Beta Corp',
    ]);

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const res: Awaited<ReturnType<typeof leads>> = await leads(
        `?sort=name&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.body.items.map((l) => l.person.fullName));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['Élodie Durand', 'Marc Zed', 'Zoé Alpha']);
    const recent = await leads('?sort=recent&limit=2');
    const next = await leads(`?sort=recent&limit=2&cursor=${recent.body.nextCursor}`);
    expect([...recent.body.items, ...next.body.items].map((l) => l.person.fullName).sort()).toEqual(
      ['Marc Zed', 'Zoé Alpha', 'Élodie Durand'].sort(),
    );
    expect(next.body.nextCursor).toBeNull();
  });

  it('refuses bad board queries with 400 validation_failed', async () => {
    const nameCursor = (await leads('?sort=name&limit=1')).body.nextCursor;
    for (const query of [
      '?tag=friend',
      '?rating=lukewarm',
      '?sort=age',
      '?limit=0',
      '?limit=101',
      '?eventId=nope',
      '?memberId[$ne]=x',
      '?from=yesterday',
      '?cursor=garbage',
      `?sort=recent&cursor=${nameCursor}`,
      '?tag=cooperation&tag=competition',
      '?unknown=1',
      `?q=${'x'.repeat(101)}`,
    ]) {
      const res = await requestJson<ApiErrorBody>(url(`/api/teams/${teamId}/leads${query}`), {
        headers: ana.headers,
      });
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('validation_failed');
    }
  });

  it('tags, rates, assigns, follows up and appends team notes; private contact tags stay apart', async () => {
    const lead = await leadOf('Élodie Durand');
    const patch = await requestJson<LeadResponse>(url(`/api/teams/${teamId}/leads/${lead.id}`), {
      method: 'PATCH',
      headers: ben.headers,
      body: {
        tag: 'cooperation',
        rating: 'hot',
        assigneeId: ana.user.id,
        note: 'Wants a pilot in Q1',
      },
    });
    expect(patch.status).toBe(200);
    expect(patch.body.lead).toMatchObject({
      tag: 'cooperation',
      rating: 'hot',
      assignee: { userId: ana.user.id, name: 'Ana Staff' },
      noteCount: 1,
      notes: [{ author: { userId: ben.user.id, name: 'Ben Staff' }, text: 'Wants a pilot in Q1' }],
    });
    await requestJson(url(`/api/teams/${teamId}/leads/${lead.id}`), {
      method: 'PATCH',
      headers: ana.headers,
      body: { note: 'Called, demo booked', followedUp: true, rating: null },
    });
    const detail = await requestJson<LeadResponse>(url(`/api/teams/${teamId}/leads/${lead.id}`), {
      headers: owner.headers,
    });
    expect(detail.body.lead.notes.map((n) => [n.author.name, n.text])).toEqual([
      ['Ben Staff', 'Wants a pilot in Q1'],
      ['Ana Staff', 'Called, demo booked'],
    ]);
    expect(detail.body.lead.followedUp).toBe(true);
    expect(detail.body.lead.rating).toBeNull();

    // Ana's own contact keeps her private tag; the team tag never reaches it.
    const contacts = await requestJson<ContactListResponse>(url('/api/contacts'), {
      headers: ana.headers,
    });
    const contact = contacts.body.items.find((c) => c.otherUserId === elodie.user.id);
    expect(contact?.tag).toBe('none');
    expect(contact?.note).toBe('');
    // The rival team's lead for the same person is untouched.
    const rivalLead = await LeadModel.findOne({ teamId: rivalTeamId }).lean();
    expect(rivalLead?.tag).toBe('none');
    expect(rivalLead?.notes).toEqual([]);

    const filtered = await leads('?tag=cooperation&rating=hot');
    expect(filtered.body.items).toEqual([]);
    expect((await leads('?tag=cooperation&followedUp=true')).body.items).toHaveLength(1);
    expect((await leads('?tag=untagged')).body.items).toHaveLength(2);
    expect((await leads(`?assigneeId=${ana.user.id}`)).body.items).toHaveLength(1);
  });

  it('refuses bad lead changes with status, code and nothing written', async () => {
    const lead = await leadOf('Marc Zed');
    const before = await snapshot();
    const cases: [unknown, number, string][] = [
      [{}, 400, 'validation_failed'],
      [{ tag: 'friend' }, 400, 'validation_failed'],
      [{ tag: { $set: 'cooperation' } }, 400, 'validation_failed'],
      [{ rating: 5 }, 400, 'validation_failed'],
      [{ followedUp: 'yes' }, 400, 'validation_failed'],
      [{ note: '' }, 400, 'validation_failed'],
      [{ note: 'x'.repeat(2001) }, 400, 'validation_failed'],
      [{ tag: 'competition', teamId: rivalTeamId }, 400, 'validation_failed'],
      [{ $set: { tag: 'competition' } }, 400, 'validation_failed'],
      [{ assigneeId: 'nope' }, 400, 'validation_failed'],
      [{ assigneeId: elodie.user.id }, 400, 'assignee_not_member'],
    ];
    for (const [body, status, code] of cases) {
      const res = await requestJson<ApiErrorBody>(url(`/api/teams/${teamId}/leads/${lead.id}`), {
        method: 'PATCH',
        headers: ana.headers,
        body,
      });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect(await snapshot()).toBe(before);
  });

  it('answers 404 for another team’s lead and for outsiders, leaking and writing nothing', async () => {
    const before = await snapshot();
    const rivalLead = await LeadModel.findOne({ teamId: rivalTeamId }).lean();
    const foreignId = rivalLead!._id.toString();
    const ours = await leadOf('Zoé Alpha');
    const leadNotFound = { error: { code: 'lead_not_found', message: 'Lead not found.' } };
    const teamNotFound = { error: { code: 'team_not_found', message: 'Team not found.' } };
    const asAna = (method: string, id: string, body?: unknown) =>
      requestJson<ApiErrorBody>(url(`/api/teams/${teamId}/leads/${id}`), {
        method,
        headers: ana.headers,
        body,
      });
    for (const id of [foreignId, '0123456789abcdef01234567', 'not-an-id']) {
      expect((await asAna('GET', id)).body).toEqual(leadNotFound);
      const patched = await asAna('PATCH', id, { tag: 'competition' });
      expect(patched.status).toBe(404);
      expect(patched.body).toEqual(leadNotFound);
    }
    // The rival team's owner (and the person met, and any stranger) cannot read our board.
    for (const user of [rival, elodie, loner]) {
      for (const path of [
        '/leads',
        `/leads/${ours.id}`,
        '/leads/stats',
        '/leads/export?format=csv',
      ]) {
        const res = await requestJson(url(`/api/teams/${teamId}${path}`), {
          headers: user.headers,
        });
        expect(res.status, path).toBe(404);
        expect(res.body, path).toEqual(teamNotFound);
      }
      const patch = await requestJson(url(`/api/teams/${teamId}/leads/${ours.id}`), {
        method: 'PATCH',
        headers: user.headers,
        body: { tag: 'competition' },
      });
      expect(patch.body).toEqual(teamNotFound);
      const bulk = await requestJson(url(`/api/teams/${teamId}/leads/bulk`), {
        method: 'POST',
        headers: user.headers,
        body: { leadIds: [ours.id], followedUp: true },
      });
      expect(bulk.body).toEqual(teamNotFound);
    }
    // Our id through the rival team's path is theirs to not find.
    const cross = await requestJson(url(`/api/teams/${rivalTeamId}/leads/${ours.id}`), {
      headers: rival.headers,
    });
    expect(cross.body).toEqual(leadNotFound);
    const anonymous = await requestJson<ApiErrorBody>(url(`/api/teams/${teamId}/leads`));
    expect(anonymous.status).toBe(401);
    expect(await snapshot()).toBe(before);
  });

  it('applies bulk changes to the team’s leads only, all or nothing', async () => {
    const list = await leads('?limit=100');
    const ids = list.body.items.map((l) => l.id);
    const [marcId, zoeId] = [(await leadOf('Marc Zed')).id, (await leadOf('Zoé Alpha')).id];
    const foreign = (await LeadModel.findOne({ teamId: rivalTeamId }).lean())!._id.toString();
    const before = await snapshot();
    const refused: [unknown, number, string][] = [
      [{ leadIds: [...ids, foreign], followedUp: true }, 404, 'lead_not_found'],
      [{ leadIds: ids }, 400, 'validation_failed'],
      [{ leadIds: [], tag: 'competition' }, 400, 'validation_failed'],
      [{ leadIds: Array(501).fill(ids[0]), tag: 'competition' }, 400, 'validation_failed'],
      [{ leadIds: ids, tag: 'rival' }, 400, 'validation_failed'],
      [{ leadIds: ids, assigneeId: elodie.user.id }, 400, 'assignee_not_member'],
      [{ leadIds: ids, note: 'bulk notes are not a thing' }, 400, 'validation_failed'],
      [{ leadIds: { $in: ids }, tag: 'competition' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of refused) {
      const res = await requestJson<ApiErrorBody>(url(`/api/teams/${teamId}/leads/bulk`), {
        method: 'POST',
        headers: ana.headers,
        body,
      });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    expect(await snapshot()).toBe(before);

    const ok = await requestJson<LeadBulkUpdateResponse>(url(`/api/teams/${teamId}/leads/bulk`), {
      method: 'POST',
      headers: ana.headers,
      body: { leadIds: [marcId, zoeId, marcId], assigneeId: ben.user.id, tag: 'competition' },
    });
    expect(ok.body).toEqual({ updated: 2 });
    expect(await LeadModel.countDocuments({ teamId, assigneeId: ben.user.id })).toBe(2);
    expect((await LeadModel.findOne({ teamId: rivalTeamId }).lean())?.tag).toBe('none');
  });

  it('counts leads by tag, staff member and local hour, and follow-up progress', async () => {
    const res = await requestJson<TeamLeadStatsResponse>(
      url(`/api/teams/${teamId}/leads/stats?eventId=${eventId}`),
      { headers: ben.headers },
    );
    expect(res.status).toBe(200);
    const { stats } = res.body;
    expect(stats.total).toBe(3);
    expect(stats.byTag.cooperation + stats.byTag.competition + stats.byTag.none).toBe(3);
    expect(stats.timezone).toBe('Europe/Paris');
    expect(stats.byMember).toEqual([
      { userId: ana.user.id, name: 'Ana Staff', leads: 2, encounters: 2 },
      { userId: ben.user.id, name: 'Ben Staff', leads: 2, encounters: 2 },
    ]);
    const paris = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Paris',
      hour: '2-digit',
      hourCycle: 'h23',
    }).format(new Date());
    expect(stats.byHour.reduce((n, h) => n + h.encounters, 0)).toBe(4);
    expect(stats.byHour.at(-1)?.hour.slice(11, 13)).toBe(paris);
    expect(stats.followUp.followedUp + stats.followUp.pending).toBe(3);
    const utc = await requestJson<TeamLeadStatsResponse>(url(`/api/teams/${teamId}/leads/stats`), {
      headers: ben.headers,
    });
    expect(utc.body.stats.timezone).toBe('UTC');
    const bad = await requestJson<ApiErrorBody>(url(`/api/teams/${teamId}/leads/stats?sort=name`), {
      headers: ben.headers,
    });
    expect(bad.status).toBe(400);
  });

  it('exports one CSV row per lead with formulas neutralised, and a bulk vCard 3.0', async () => {
    const csv = await fetch(url(`/api/teams/${teamId}/leads/export?format=csv`), {
      headers: ana.headers,
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A BOM so spreadsheet apps read UTF-8 (fetch's text() would hide it).
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes.subarray(3).toString('utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows).toHaveLength(3);
    expect(Object.keys(rows[0]!)).toEqual([
      'First name',
      'Last name',
      'Company',
      'Title',
      'Email',
      'Phone',
      'Website',
      'Tag',
      'Rating',
      'Team note',
      'Met by',
      'Met at',
      'Event',
    ]);
    const elodieRow = rows.find((r) => r['Last name'] === 'Durand');
    expect(elodieRow).toMatchObject({
      'First name': 'Élodie',
      Company: 'Acme Énergie',
      Title: 'Head of Partnerships',
      Email: 'elodie@acme.example',
      Tag: 'Co-operation',
      'Met by': 'Ana Staff; Ben Staff',
      Event: eventName,
    });
    expect(elodieRow?.['Team note']).toContain('Wants a pilot in Q1');
    expect(rows.find((r) => r['First name'] === 'Marc')?.Company).toBe(`'=HYPERLINK("x")`);

    const filtered = await fetch(
      url(`/api/teams/${teamId}/leads/export?format=csv&memberId=${ana.user.id}&tag=cooperation`),
      { headers: ana.headers },
    );
    expect(parse(await filtered.text(), { columns: true })).toHaveLength(1);

    const vcf = await fetch(url(`/api/teams/${teamId}/leads/export?format=vcf`), {
      headers: ana.headers,
    });
    expect(vcf.headers.get('content-type')).toContain('text/vcard');
    const cards = await vcf.text();
    expect(cards.match(/BEGIN:VCARD/g)).toHaveLength(3);
    expect(cards.match(/VERSION:3.0/g)).toHaveLength(3);
    expect(cards).toContain('FN:Élodie Durand');
    const bad = await requestJson<ApiErrorBody>(
      url(`/api/teams/${teamId}/leads/export?format=xls`),
      {
        headers: ana.headers,
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
  });

  it('stops feeding the board when a staff member leaves the team', async () => {
    const newcomer = await registerUser(server.url, { name: 'Nina New' });
    const event = await createTestEvent(server.url, owner, { name: 'Demo day' });
    await joinTestEvent(server.url, newcomer, event.joinCode);
    await joinTestEvent(server.url, ben, event.joinCode, { teamId });
    const leave = await requestJson(url(`/api/teams/${teamId}/members/${ben.user.id}`), {
      method: 'DELETE',
      headers: ben.headers,
    });
    expect(leave.status).toBe(204);
    await shakeHands(server.url, event.id, ben, newcomer);
    expect(await LeadModel.countDocuments({ teamId, personId: newcomer.user.id })).toBe(0);
    const gone = await leads('', ben);
    expect(gone.status).toBe(404);
  });
});
