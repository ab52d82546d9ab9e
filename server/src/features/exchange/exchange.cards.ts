import { Types } from 'mongoose';
import { Batcher } from '../../db/batcher';
import type { VisibleCardDto } from '../../../../shared/card';
import { UserModel } from '../auth/auth.model';
import { CardModel } from '../cards/cards.model';
import { presentVisibleCard, type CardLike } from '../cards/cards.presenter';

type CardRow = CardLike & { userId: Types.ObjectId };

/**
 * The cards of everyone in concurrent lookups, in one query; each lookup gets its own
 * people's. A user who never saved a card shows their account name (rare: a second read).
 */
async function lookUpCards(lookups: readonly string[][]): Promise<Map<string, VisibleCardDto>[]> {
  const ids = [...new Set(lookups.flat())].map((id) => new Types.ObjectId(id));
  // The driver's find: the filter is already typed, and this runs on every scan.
  const rows = (await CardModel.collection
    .find({ userId: { $in: ids } })
    .toArray()) as unknown as CardRow[];
  const found = new Map(rows.map((row) => [String(row.userId), presentVisibleCard(row)]));
  const missing = ids.filter((id) => !found.has(String(id)));
  if (missing.length > 0) {
    const users = await UserModel.find({ _id: { $in: missing } }, { name: 1 }).lean();
    for (const user of users) found.set(String(user._id), { fullName: user.name });
  }
  return lookups.map((userIds) => {
    const result = new Map<string, VisibleCardDto>();
    for (const id of userIds) {
      const card = found.get(id);
      if (card) result.set(id, card);
    }
    return result;
  });
}

const cardLookups = new Batcher(lookUpCards);

/** Each person's visible card; a user who never saved one shows their account name. */
export function visibleCards(userIds: string[]): Promise<Map<string, VisibleCardDto>> {
  return cardLookups.submit(userIds);
}
