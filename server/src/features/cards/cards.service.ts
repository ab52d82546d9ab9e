import {
  hasControlCharacters,
  PHOTO_DATA_URL_PREFIX,
  type CardUpdate,
} from '../../../../shared/card';
import { CARD_FIELDS, CARD_LIMITS } from '../../../../shared/card';
import { UnauthorizedError, ValidationError } from '../../errors';
import type { Actor } from '../auth/actor';
import { UserModel } from '../auth/auth.model';
import { isDuplicateKeyError } from '../../http/mongo-errors';
import { CardModel, type CardDoc } from './cards.model';

/** The card of a user, or null when they have none (e.g. the account was deleted). */
export async function getCard(userId: string): Promise<CardDoc | null> {
  return CardModel.findOne({ userId }).exec();
}

/** The first card of a new account: just the name, everything visible. */
export async function createInitialCard(userId: string, fullName: string): Promise<CardDoc> {
  try {
    return await CardModel.create({ userId, fullName });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const existing = await getCard(userId);
    if (!existing) throw err;
    return existing;
  }
}

/**
 * Decodes a validated photo data URL and checks it again on the bytes: the JPEG
 * start-of-image marker and the size limit.
 */
export function decodePhoto(dataUrl: string): Buffer {
  const bytes = Buffer.from(dataUrl.slice(PHOTO_DATA_URL_PREFIX.length), 'base64');
  const isJpeg = bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!isJpeg || bytes.length > CARD_LIMITS.photoBytes) {
    throw new ValidationError('The request is not valid.', [
      { path: 'photo', message: 'The photo must be a JPEG image of at most 150 KB.' },
    ]);
  }
  return bytes;
}

/**
 * Replaces my card with the validated input. Omitted text fields become empty; an
 * omitted photo is kept, `null` removes it; visibility merges per field.
 */
export async function updateMyCard(actor: Actor, input: CardUpdate): Promise<CardDoc> {
  const photo = input.photo === undefined ? undefined : input.photo && decodePhoto(input.photo);
  for (const field of CARD_FIELDS) {
    // Defence in depth: the schema already refuses control characters.
    if (hasControlCharacters(input[field] ?? '')) throw new ValidationError();
  }
  let card = await getCard(actor.userId);
  if (!card) {
    // Only a live account may have a card: a token that outlived its account may not.
    const user = await UserModel.exists({ _id: actor.userId });
    if (!user) throw new UnauthorizedError();
    card = new CardModel({ userId: actor.userId, fullName: input.fullName });
  }
  for (const field of CARD_FIELDS) card.set(field, input[field] ?? '');
  if (photo !== undefined) card.set('photo', photo);
  for (const [field, visible] of Object.entries(input.visibility ?? {})) {
    if (typeof visible === 'boolean') card.set(`visibility.${field}`, visible);
  }
  try {
    return await card.save();
  } catch (err) {
    // Two first saves raced; the other one created the card, so apply ours on top.
    if (card.isNew && isDuplicateKeyError(err)) return updateMyCard(actor, input);
    throw err;
  }
}
