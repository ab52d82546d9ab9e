import type { Types } from 'mongoose';
import type { VisibleCardDto } from '../../../../shared/card';
import type { ContactDto, ContactRating, ContactTag } from '../../../../shared/contacts';

/** A contact as stored (lean), typed by hand because `card` is a mixed path. */
export interface ContactRecord {
  _id: Types.ObjectId;
  ownerId: Types.ObjectId;
  otherUserId: Types.ObjectId;
  card: VisibleCardDto;
  searchText: string;
  eventIds: Types.ObjectId[];
  teamId: Types.ObjectId | null;
  tag: ContactTag;
  rating: ContactRating | null;
  note: string;
  followUp: { done: boolean; dueAt: Date | null } | null;
  cooperationMatchedAt: Date | null;
  lastMetAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** The owner's view of a contact. Holds only the owner's own tag, never the other's. */
export function presentContact(contact: ContactRecord): ContactDto {
  return {
    id: String(contact._id),
    otherUserId: String(contact.otherUserId),
    card: contact.card,
    eventIds: (contact.eventIds ?? []).map(String),
    tag: contact.tag,
    rating: contact.rating ?? null,
    note: contact.note ?? '',
    followUp: contact.followUp
      ? {
          done: contact.followUp.done,
          dueAt: contact.followUp.dueAt ? contact.followUp.dueAt.toISOString() : null,
        }
      : null,
    cooperationMatchedAt: contact.cooperationMatchedAt
      ? contact.cooperationMatchedAt.toISOString()
      : null,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
  };
}
