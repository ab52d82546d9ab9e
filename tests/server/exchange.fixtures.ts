import { io as connect, type Socket } from 'socket.io-client';
import type { ApiErrorBody } from '../../shared/api';
import type { CardUpdateInput } from '../../shared/card';
import type { ContactDto } from '../../shared/contacts';
import type { EventDto } from '../../shared/events';
import type { ExchangeCodeResponse, HandshakeResponse } from '../../shared/exchange';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/realtime';
import {
  BadgeModel,
  HandshakeModel,
  ShortCodeModel,
} from '../../server/src/features/exchange/exchange.model';
import { ContactModel } from '../../server/src/features/contacts/contacts.model';
import { createTestEvent, joinTestEvent, registerUser, type TestUser } from '../helpers/accounts';
import { requestJson, type JsonResponse } from '../helpers/http';
import type { TestServer } from '../helpers/server';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Events = ServerToClientEvents;

/** Registers a user and saves a card for them. */
export async function userWithCard(server: TestServer, card: CardUpdateInput): Promise<TestUser> {
  const user = await registerUser(server.url, { name: card.fullName });
  const res = await requestJson(`${server.url}/api/me/card`, {
    method: 'PUT',
    headers: user.headers,
    body: card,
  });
  if (res.status !== 200) throw new Error(`card failed: ${res.status} ${JSON.stringify(res.body)}`);
  return user;
}

export interface ExchangeWorld {
  organizer: TestUser;
  alice: TestUser;
  bob: TestUser;
  event: EventDto;
}

/** An organizer's event that Alice and Bob (each with a card) have joined. */
export async function exchangeWorld(server: TestServer): Promise<ExchangeWorld> {
  const [organizer, alice, bob] = await Promise.all([
    registerUser(server.url, { name: 'Olga Organizer' }),
    userWithCard(server, {
      fullName: 'Éloïse Müller-Ørsted',
      title: 'Head of Partnerships',
      company: 'Açaí Robotics',
      email: 'eloise@example.org',
      phone: '+33 6 12 34 56 78',
    }),
    userWithCard(server, {
      fullName: 'Bob Martin',
      title: 'CTO',
      company: 'BigCorp',
      email: 'bob@example.org',
      visibility: { email: false },
    }),
  ]);
  const event = await createTestEvent(server.url, organizer);
  await Promise.all([
    joinTestEvent(server.url, alice, event.joinCode),
    joinTestEvent(server.url, bob, event.joinCode),
  ]);
  return { organizer, alice, bob, event };
}

export async function exchangeCode(
  server: TestServer,
  user: TestUser,
  eventId: string,
): Promise<ExchangeCodeResponse> {
  const res = await requestJson<ExchangeCodeResponse>(
    `${server.url}/api/events/${eventId}/exchange-code`,
    { headers: user.headers },
  );
  if (res.status !== 200) throw new Error(`code failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function scan(
  server: TestServer,
  user: TestUser,
  eventId: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<HandshakeResponse & ApiErrorBody>> {
  return requestJson(`${server.url}/api/events/${eventId}/handshakes`, {
    method: 'POST',
    headers: { ...user.headers, ...headers },
    body,
  });
}

export function rawScan(
  server: TestServer,
  user: TestUser,
  eventId: string,
  rawBody: string,
): Promise<JsonResponse<ApiErrorBody>> {
  return requestJson(`${server.url}/api/events/${eventId}/handshakes`, {
    method: 'POST',
    headers: user.headers,
    rawBody,
  });
}

export async function patchContact(
  server: TestServer,
  user: TestUser,
  contactId: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse<{ contact: ContactDto } & ApiErrorBody>> {
  return requestJson(`${server.url}/api/contacts/${contactId}`, {
    method: 'PATCH',
    headers: { ...user.headers, ...headers },
    body,
  });
}

/** A socket connecting as `user` to `server` (any node), returned at once. */
export function connectSocket(server: { url: string }, user: TestUser): ClientSocket {
  return connect(server.url, {
    path: '/socket.io',
    transports: ['websocket'],
    auth: { token: user.accessToken },
    reconnection: false,
    forceNew: true,
  });
}

/** An authenticated socket, resolved once the server (any node) put it in its user room. */
export function openSocket(server: { url: string }, user: TestUser): Promise<ClientSocket> {
  const socket = connectSocket(server, user);
  return new Promise((resolve, reject) => {
    socket.once('session:ready', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Every payload of `name` a socket receives, in order. */
export function collect<E extends keyof Events>(
  socket: ClientSocket,
  name: E,
): Parameters<Events[E]>[0][] {
  const seen: Parameters<Events[E]>[0][] = [];
  const listener = (payload: Parameters<Events[E]>[0]) => seen.push(payload);
  (socket as unknown as { on(n: string, l: (p: unknown) => void): void }).on(
    name,
    listener as (p: unknown) => void,
  );
  return seen;
}

/** Resolves when `list` has at least `count` items, or fails after `timeoutMs`. */
export async function waitForCount<T>(list: T[], count: number, timeoutMs = 3000): Promise<T[]> {
  const started = Date.now();
  while (list.length < count) {
    if (Date.now() - started > timeoutMs) {
      throw new Error(`expected ${count} items, got ${list.length}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return list;
}

/** A moment to be sure nothing else arrives (negative realtime assertions). */
export const settle = (ms = 250) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the exchange writes: compared before and after a bad request. */
export async function writeCounts(): Promise<Record<string, number>> {
  const [handshakes, contacts, shortCodes, badges] = await Promise.all([
    HandshakeModel.countDocuments(),
    ContactModel.countDocuments(),
    ShortCodeModel.countDocuments(),
    BadgeModel.countDocuments(),
  ]);
  return { handshakes, contacts, shortCodes, badges };
}
