import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import {
  EXCHANGE_LIMITS,
  EXCHANGE_URL_PATH,
  SHORT_CODE_ALPHABET,
  SHORT_CODE_LENGTH,
  SHORT_CODE_PATTERN,
  normalizeShortCode,
  type BadgeCodeResponse,
  type ExchangeCodeResponse,
} from '../../../../shared/exchange';
import type { Config } from '../../config';
import { isDuplicateKeyError } from '../../http/mongo-errors';
import type { Actor } from '../auth/actor';
import { CardModel } from '../cards/cards.model';
import { requireMember } from '../events/events.service';
import { BadgeModel, ShortCodeModel, shortCodePurgeAt } from './exchange.model';
import {
  codeExpired,
  codeInvalid,
  signBadgeToken,
  signExchangeToken,
  verifyCodeToken,
} from './exchange.tokens';

export interface CodeDeps {
  jwtSecret: string;
  config: Pick<Config, 'publicUrl'>;
}

/** Who and which event a scanned code points at. */
export interface ResolvedCode {
  userId: string;
  eventId: string;
  kind: 'exchange' | 'badge' | 'short';
  /** Null for a badge code: valid until rotated. */
  expiresAt: Date | null;
}

function randomShortCode(): string {
  let code = '';
  for (let i = 0; i < SHORT_CODE_LENGTH; i += 1) {
    code += SHORT_CODE_ALPHABET[randomInt(SHORT_CODE_ALPHABET.length)];
  }
  return code;
}

/**
 * Checks that the actor is a member of the event (404 otherwise) and, meanwhile, reads the
 * name on their card, which every code they are issued carries for the scanner to show.
 */
async function memberCardName(actor: Actor, eventId: string): Promise<string> {
  const [card] = await Promise.all([
    CardModel.findOne({ userId: new Types.ObjectId(actor.userId) }, { fullName: 1 })
      .lean<{ fullName?: string }>()
      .exec(),
    requireMember(actor, eventId),
  ]);
  return card?.fullName ?? '';
}

export function publicCodeUrl(deps: CodeDeps, token: string): string {
  return `${deps.config.publicUrl}${EXCHANGE_URL_PATH}${token}`;
}

/**
 * `GET /api/events/:eventId/exchange-code`: a fresh token and short code, both valid for
 * two minutes. The client asks again before `expiresAt` while the QR is on screen.
 */
export async function issueExchangeCode(
  deps: CodeDeps,
  actor: Actor,
  eventId: string,
): Promise<ExchangeCodeResponse> {
  const name = await memberCardName(actor, eventId);
  // Whole seconds, because the token's `exp` is in seconds and both must agree.
  const expiresAt = new Date(
    (Math.floor(Date.now() / 1000) + EXCHANGE_LIMITS.codeTtlSeconds) * 1000,
  );
  let shortCode: string;
  for (let attempt = 1; ; attempt += 1) {
    shortCode = randomShortCode();
    try {
      await ShortCodeModel.create({
        eventId: new Types.ObjectId(eventId),
        shortCode,
        userId: new Types.ObjectId(actor.userId),
        expiresAt,
        purgeAt: shortCodePurgeAt(expiresAt),
      });
      break;
    } catch (err) {
      // ~900 million codes per event; a collision is rare, five in a row is a fault.
      if (!isDuplicateKeyError(err) || attempt >= 5) throw err;
    }
  }
  const token = signExchangeToken(deps, actor.userId, eventId, expiresAt, name);
  return {
    token,
    url: publicCodeUrl(deps, token),
    shortCode,
    expiresAt: expiresAt.toISOString(),
  };
}

async function currentBadgeVersion(userId: string): Promise<number> {
  const badge = await BadgeModel.findOneAndUpdate(
    { userId: new Types.ObjectId(userId) },
    { $setOnInsert: { version: 1 } },
    { upsert: true, returnDocument: 'after', setDefaultsOnInsert: false },
  ).lean();
  return badge?.version ?? 1;
}

/** `GET /api/events/:eventId/badge-code`: the long-lived code for a printed badge. */
export async function getBadgeCode(
  deps: CodeDeps,
  actor: Actor,
  eventId: string,
): Promise<BadgeCodeResponse> {
  const name = await memberCardName(actor, eventId);
  const version = await currentBadgeVersion(actor.userId);
  const token = signBadgeToken(deps, actor.userId, eventId, version, name);
  return { token, url: publicCodeUrl(deps, token) };
}

/**
 * `POST /api/events/:eventId/badge-code/rotate`: bumps the user's badge version, so every
 * badge printed before stops working at once (for every event: the version is per user).
 */
export async function rotateBadgeCode(
  deps: CodeDeps,
  actor: Actor,
  eventId: string,
): Promise<BadgeCodeResponse> {
  const name = await memberCardName(actor, eventId);
  const badge = await BadgeModel.findOneAndUpdate(
    { userId: new Types.ObjectId(actor.userId) },
    { $inc: { version: 1 } },
    { upsert: true, returnDocument: 'after', setDefaultsOnInsert: false },
  ).lean();
  // No row yet means no badge was ever issued (issuing creates it), so version 1 is new.
  const version = badge?.version ?? 1;
  const token = signBadgeToken(deps, actor.userId, eventId, version, name);
  return { token, url: publicCodeUrl(deps, token) };
}

/**
 * Extracts the token from what a scanner read: a full URL `…/x/<token>` (query or
 * fragment dropped) or the bare token.
 */
export function tokenFromCode(code: string): string {
  const at = code.lastIndexOf(EXCHANGE_URL_PATH);
  if (at === -1) return code;
  return code.slice(at + EXCHANGE_URL_PATH.length).split(/[?#/]/, 1)[0] ?? '';
}

/**
 * Verifies a signed token (exchange or badge) as of `clockMs`. Badge codes are also
 * checked against the user's current badge version, so a rotated one fails at once.
 */
export async function resolveToken(
  deps: CodeDeps,
  token: string,
  clockMs: number,
): Promise<ResolvedCode> {
  const claims = verifyCodeToken(deps, token, clockMs);
  if (claims.kind === 'exchange') {
    return {
      userId: claims.userId,
      eventId: claims.eventId,
      kind: 'exchange',
      expiresAt: claims.expiresAt,
    };
  }
  const badge = await BadgeModel.findOne({ userId: new Types.ObjectId(claims.userId) }).lean();
  if (!badge || badge.version !== claims.version) throw codeInvalid();
  return { userId: claims.userId, eventId: claims.eventId, kind: 'badge', expiresAt: null };
}

/**
 * Resolves what a scanner sent (token, URL or short code) for a handshake at `eventId`,
 * as of `clockMs`. A short code is looked up in this event only; rows stay 24 h after
 * expiry so an offline scan can be checked against the time it was made.
 */
export async function resolveScannedCode(
  deps: CodeDeps,
  code: string,
  eventId: string,
  clockMs: number,
): Promise<ResolvedCode> {
  const short = normalizeShortCode(code);
  if (SHORT_CODE_PATTERN.test(short)) {
    const row = await ShortCodeModel.findOne({
      eventId: new Types.ObjectId(eventId),
      shortCode: short,
    }).lean();
    if (!row) throw codeInvalid();
    if (row.expiresAt.getTime() < clockMs) throw codeExpired();
    return { userId: String(row.userId), eventId, kind: 'short', expiresAt: row.expiresAt };
  }
  return resolveToken(deps, tokenFromCode(code), clockMs);
}
