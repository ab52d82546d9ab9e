import { Types } from 'mongoose';
import type { VisibleCardDto } from '../../../../shared/card';
import { UserModel } from '../auth/auth.model';
import { CardModel } from '../cards/cards.model';
import { presentVisibleCard, type CardLike } from '../cards/cards.presenter';

/** Each person's visible card; a user who never saved one shows their account name. */
export async function visibleCards(userIds: string[]): Promise<Map<string, VisibleCardDto>> {
  const ids = userIds.map((id) => new Types.ObjectId(id));
  // The driver's find: the filter is already typed, and this runs on every scan.
  const cards = (await CardModel.collection
    .find({ userId: { $in: ids } })
    .toArray()) as unknown as (CardLike & { userId: Types.ObjectId })[];
  const result = new Map<string, VisibleCardDto>();
  for (const card of cards) result.set(String(card.userId), presentVisibleCard(card));
  const missing = ids.filter((id) => !result.has(String(id)));
  if (missing.length > 0) {
    const users = await UserModel.find({ _id: { $in: missing } }, { name: 1 }).lean();
    for (const user of users) result.set(String(user._id), { fullName: user.name });
  }
  return result;
}
