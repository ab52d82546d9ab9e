import { model, Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { MEMBERSHIP_ROLES } from '../../../../shared/events';

const eventSchema = new Schema(
  {
    name: { type: String, required: true },
    venue: { type: String, default: '' },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    timezone: { type: String, required: true, default: 'UTC' },
    /** Unique; collisions are retried on the duplicate-key error. */
    joinCode: { type: String, required: true, unique: true },
    organizers: { type: [Schema.Types.ObjectId], default: [] },
    createdBy: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: true, strict: 'throw' },
);

export type Event = InferSchemaType<typeof eventSchema>;
export type EventDoc = HydratedDocument<Event>;
export const EventModel = model('Event', eventSchema, 'events');

const membershipSchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, enum: MEMBERSHIP_ROLES, required: true },
    /** The team whose stand the person staffs at this event. */
    teamId: { type: Schema.Types.ObjectId, default: null },
    joinedAt: { type: Date, required: true, default: () => new Date() },
  },
  { strict: 'throw' },
);
membershipSchema.index({ eventId: 1, userId: 1 }, { unique: true });
membershipSchema.index({ userId: 1, joinedAt: -1 });

export type Membership = InferSchemaType<typeof membershipSchema>;
export type MembershipDoc = HydratedDocument<Membership>;
export const MembershipModel = model('Membership', membershipSchema, 'memberships');
