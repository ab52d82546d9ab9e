import { model, Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { CONTACT_RATINGS, CONTACT_TAGS } from '../../../../shared/contacts';

const followUpSchema = new Schema(
  {
    done: { type: Boolean, required: true, default: false },
    dueAt: { type: Date, default: null },
  },
  { _id: false, strict: 'throw' },
);

/**
 * One per (owner, other person): the card the owner received (snapshot of the other's
 * visible card at the latest exchange), the events they met at, and the owner's private
 * tag, rating, note and follow-up. Only the owner ever reads these.
 */
const contactSchema = new Schema(
  {
    ownerId: { type: Schema.Types.ObjectId, required: true },
    otherUserId: { type: Schema.Types.ObjectId, required: true },
    /** The other person's VisibleCardDto as received; the photo as a data URL. */
    card: { type: Schema.Types.Mixed, required: true },
    /** Lower-cased, accent-stripped name, company and title, kept in step with `card`. */
    searchText: { type: String, required: true, default: '' },
    eventIds: { type: [Schema.Types.ObjectId], default: [] },
    /** The team whose stand the owner staffed when the contact was first captured. */
    teamId: { type: Schema.Types.ObjectId, default: null },
    tag: { type: String, enum: CONTACT_TAGS, required: true, default: 'none' },
    rating: { type: String, enum: [...CONTACT_RATINGS, null], default: null },
    note: { type: String, default: '' },
    followUp: { type: followUpSchema, default: null },
    /** Set once, when both people have tagged each other co-operation. */
    cooperationMatchedAt: { type: Date, default: null },
    lastMetAt: { type: Date, required: true },
  },
  { timestamps: true, strict: 'throw', minimize: false },
);
contactSchema.index({ ownerId: 1, otherUserId: 1 }, { unique: true });
contactSchema.index({ ownerId: 1, createdAt: -1, _id: -1 });

export type Contact = InferSchemaType<typeof contactSchema>;
export type ContactDoc = HydratedDocument<Contact>;
export const ContactModel = model('Contact', contactSchema, 'contacts');
