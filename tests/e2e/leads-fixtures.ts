import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LeadListResponse, LeadSummaryDto } from '../../shared/leads';
import type { AuthResponse } from '../../shared/auth';
import {
  bearer,
  createTestEvent,
  joinTestEvent,
  refreshCookieFrom,
  registerUser,
  type TestUser,
} from '../helpers/accounts';
import { PHONE } from '../helpers/browser';
import { collectProblems, signInContext } from '../helpers/e2e-session';
import { requestJson } from '../helpers/http';
import { setCard, shakeHands, teamWithStaff } from '../server/teams.fixtures';

export const SCREENSHOTS = path.resolve('tests/.artifacts/screenshots');

export const LAPTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };

/** A registered user with a filled card. */
export async function person(
  baseUrl: string,
  fullName: string,
  company: string,
  title = '',
): Promise<TestUser> {
  const user = await registerUser(baseUrl, { name: fullName });
  await setCard(baseUrl, user, { fullName, company, title, email: `${user.email}` });
  return user;
}

export interface BoardWorld {
  eventId: string;
  joinCode: string;
  teamId: string;
  owner: TestUser;
  staff: TestUser;
  alice: TestUser;
  bob: TestUser;
  carla: TestUser;
}

/**
 * A startup (Loop Robotics) with two staff at its stand. The owner meets Alice and Bob,
 * the other staff member meets Alice and Carla: Alice is one lead met twice.
 */
export async function seedBoard(baseUrl: string): Promise<BoardWorld> {
  const organizer = await registerUser(baseUrl, { name: 'Odile Organisatrice' });
  const event = await createTestEvent(baseUrl, organizer, { name: 'Soirée d’ouverture' });
  const [owner, staff, alice, bob, carla] = await Promise.all([
    person(baseUrl, 'Olivia Martin', 'Loop Robotics', 'CEO'),
    person(baseUrl, 'Samir Haddad', 'Loop Robotics', 'Sales'),
    person(baseUrl, 'Alice Lefèvre', 'Banque du Nord', 'Head of innovation'),
    person(baseUrl, 'Bob O’Neill', 'Atelier Lumière', 'CTO'),
    person(baseUrl, 'Carla Ruiz-Díaz', 'DataCorp', 'Partnerships'),
  ]);
  const teamId = await teamWithStaff(baseUrl, owner, [staff], 'Loop Robotics');
  await Promise.all([
    joinTestEvent(baseUrl, owner, event.joinCode, { role: 'exhibitor', teamId }),
    joinTestEvent(baseUrl, staff, event.joinCode, { role: 'exhibitor', teamId }),
    joinTestEvent(baseUrl, alice, event.joinCode),
    joinTestEvent(baseUrl, bob, event.joinCode),
    joinTestEvent(baseUrl, carla, event.joinCode),
  ]);
  await shakeHands(baseUrl, event.id, owner, alice);
  await shakeHands(baseUrl, event.id, owner, bob);
  await shakeHands(baseUrl, event.id, staff, alice);
  await shakeHands(baseUrl, event.id, staff, carla);
  return { eventId: event.id, joinCode: event.joinCode, teamId, owner, staff, alice, bob, carla };
}

export async function listLeads(
  baseUrl: string,
  user: TestUser,
  teamId: string,
): Promise<LeadSummaryDto[]> {
  const res = await requestJson<LeadListResponse>(`${baseUrl}/api/teams/${teamId}/leads`, {
    headers: user.headers,
  });
  if (res.status !== 200) throw new Error(`leads: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}

export async function patchLead(
  baseUrl: string,
  user: TestUser,
  teamId: string,
  leadId: string,
  body: Record<string, unknown>,
): Promise<void> {
  const res = await requestJson(`${baseUrl}/api/teams/${teamId}/leads/${leadId}`, {
    method: 'PATCH',
    headers: user.headers,
    body,
  });
  if (res.status !== 200) throw new Error(`patch lead: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A signed-in page at laptop or phone size; problems collects console and page errors. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  user: TestUser,
  eventId: string,
  size: 'laptop' | 'phone',
  locale = 'en-US',
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    ...(size === 'laptop' ? LAPTOP : PHONE),
    locale,
    acceptDownloads: true,
  });
  await signInContext(context, baseUrl, user, eventId);
  const page = await context.newPage();
  // Fail on the step that is stuck, well before the test's own timeout.
  page.setDefaultTimeout(8_000);
  const problems = collectProblems(page);
  return { context, page, problems };
}

/** Console errors that are not the browser logging a handled 4xx answer. */
export function realProblems(problems: string[]): string[] {
  return problems.filter((p) => !/status of 4\d\d/.test(p));
}

/** Runs `action` and returns the file the page saved (blob downloads included). */
export async function download(page: Page, action: () => Promise<void>) {
  const [file] = await Promise.all([page.waitForEvent('download'), action()]);
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { name: file.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') };
}

/**
 * A second sign-in of the same person (another device): its own refresh-token family, so
 * two browser contexts do not share one rotating cookie (reuse would revoke both).
 */
export async function signInAgain(baseUrl: string, user: TestUser): Promise<TestUser> {
  const res = await requestJson<AuthResponse>(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    body: { email: user.email, password: user.password },
  });
  const cookie = refreshCookieFrom(res.headers);
  if (res.status !== 200 || !cookie) throw new Error(`login: ${res.status}`);
  return { ...user, ...res.body, cookie, headers: bearer(res.body.accessToken) };
}
