import { model, Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { LEAD_RATINGS, LEAD_TAGS } from '../../../../shared/leads';

const text = { type: String, default: '' };

const encounterSchema = new Schema(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    eventId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
    handshakeId: { type: Schema.Types.ObjectId, required: true },
  },
  { _id: false, strict: 'throw' },
);

const noteSchema = new Schema(
  {
    authorId: { type: Schema.Types.ObjectId, required: true },
    text: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { _id: false, strict: 'throw' },
);

/** What the person shared with the staff member (their visible card, without the photo). */
const personSchema = new Schema(
  {
    fullName: { type: String, required: true },
    title: text,
    company: text,
    email: text,
    phone: text,
    website: text,
    linkedin: text,
  },
  { _id: false, strict: 'throw' },
);

/**
 * A team's lead: one per (team, person met), however many staff met them. Encounters are
 * appended by an atomic upsert guarded on the handshake id, so a repeated handshake never
 * adds a second encounter and two staff meeting the same person share one lead.
 */
const leadSchema = new Schema(
  {
    teamId: { type: Schema.Types.ObjectId, required: true },
    personId: { type: Schema.Types.ObjectId, required: true },
    person: { type: personSchema, required: true },
    /** Folded (lower case, no accents) keys for sorting and searching. */
    nameKey: { type: String, required: true },
    companyKey: text,
    searchText: text,
    encounters: { type: [encounterSchema], default: [] },
    /** Kept with the arrays so the board never loads encounters or notes. */
    encounterCount: { type: Number, default: 0 },
    noteCount: { type: Number, default: 0 },
    memberIds: { type: [Schema.Types.ObjectId], default: [] },
    eventIds: { type: [Schema.Types.ObjectId], default: [] },
    firstMetAt: { type: Date, required: true },
    lastMetAt: { type: Date, required: true },
    tag: { type: String, enum: LEAD_TAGS, default: 'none' },
    rating: { type: String, enum: [...LEAD_RATINGS, null], default: null },
    assigneeId: { type: Schema.Types.ObjectId, default: null },
    followedUp: { type: Boolean, default: false },
    notes: { type: [noteSchema], default: [] },
  },
  { timestamps: true, strict: 'throw' },
);
leadSchema.index({ teamId: 1, personId: 1 }, { unique: true });
// One index per board sort, walked in sort order so a page stops after `limit` matches
// (the sort keys end with `_id`, like the keyset cursor). Other filters are tested on the way.
leadSchema.index({ teamId: 1, lastMetAt: -1, _id: -1 });
leadSchema.index({ teamId: 1, nameKey: 1, _id: 1 });
leadSchema.index({ teamId: 1, companyKey: 1, nameKey: 1, _id: 1 });
// The board's one-value filters, newest first: the co-operation / competition tag and rating.
leadSchema.index({ teamId: 1, tag: 1, lastMetAt: -1, _id: -1 });
leadSchema.index({ teamId: 1, rating: 1, lastMetAt: -1, _id: -1 });
leadSchema.index({ teamId: 1, eventIds: 1 });
// The organizer pulse counts leads per team at one event.
leadSchema.index({ eventIds: 1 });

export type Lead = InferSchemaType<typeof leadSchema>;
export type LeadDoc = HydratedDocument<Lead>;
export const LeadModel = model('Lead', leadSchema, 'leads');
