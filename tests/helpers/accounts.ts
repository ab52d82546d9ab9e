import { randomBytes } from 'node:crypto';
import type { AuthResponse, RegisterInput } from '../../shared/auth';
import type { EventCreateInput, EventMembershipResponse, EventResponse } from '../../shared/events';
import { requestJson } from './http';

/** A signed-in test user: the API's answer plus what a client holds. */
export interface TestUser extends AuthResponse {
  email: string;
  password: string;
  /** `coop_refresh=<token>`, ready for a Cookie header. */
  cookie: string;
  /** `{ authorization: 'Bearer …' }` */
  headers: Record<string, string>;
}

/** The refresh cookie from a response's Set-Cookie, as `name=value`. */
export function refreshCookieFrom(headers: Headers): string | undefined {
  for (const line of headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? '';
    if (pair.startsWith('coop_refresh=') && pair.length > 'coop_refresh='.length) return pair;
  }
  return undefined;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Registers a fresh user with a unique email (overrides win). */
export async function registerUser(
  baseUrl: string,
  overrides: Partial<RegisterInput> = {},
): Promise<TestUser> {
  const input = {
    email: `user-${randomBytes(5).toString('hex')}@example.org`,
    password: 'correct horse battery',
    name: 'Test User',
    ...overrides,
  };
  const res = await requestJson<AuthResponse>(`${baseUrl}/api/auth/register`, {
    method: 'POST',
    body: input,
  });
  if (res.status !== 201) {
    throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const cookie = refreshCookieFrom(res.headers);
  if (!cookie) throw new Error('register set no refresh cookie');
  return {
    ...res.body,
    email: String(input.email),
    password: String(input.password),
    cookie,
    headers: bearer(res.body.accessToken),
  };
}

/** Creates an event (the user becomes its organizer). */
export async function createTestEvent(
  baseUrl: string,
  user: TestUser,
  overrides: Partial<EventCreateInput> = {},
): Promise<EventResponse['event']> {
  const res = await requestJson<EventResponse>(`${baseUrl}/api/events`, {
    method: 'POST',
    headers: user.headers,
    body: {
      name: 'Opening night',
      venue: 'Halle 1',
      startsAt: '2026-12-01T17:00:00.000Z',
      endsAt: '2026-12-01T23:00:00.000Z',
      timezone: 'Europe/Paris',
      ...overrides,
    },
  });
  if (res.status !== 201)
    throw new Error(`create event failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.event;
}

/** Joins an event by its code. */
export async function joinTestEvent(
  baseUrl: string,
  user: TestUser,
  joinCode: string,
  extra: { role?: 'attendee' | 'exhibitor'; teamId?: string } = {},
): Promise<EventMembershipResponse> {
  const res = await requestJson<EventMembershipResponse>(`${baseUrl}/api/events/join`, {
    method: 'POST',
    headers: user.headers,
    body: { joinCode, ...extra },
  });
  if (res.status !== 200) throw new Error(`join failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
