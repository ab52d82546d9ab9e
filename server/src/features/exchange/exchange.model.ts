import { model, Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { EXCHANGE_LIMITS, HANDSHAKE_METHODS } from '../../../../shared/exchange';

/**
 * Short codes for manual entry. A row is valid until `expiresAt` (like its token) but
 * kept until `purgeAt` (24 h later) so a scan made offline can still be checked against
 * it; the TTL index then removes it. Unique per event so lookups are scoped to the event.
 */
const shortCodeSchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, required: true },
    shortCode: { type: String, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    expiresAt: { type: Date, required: true },
    purgeAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, strict: 'throw' },
);
shortCodeSchema.index({ eventId: 1, shortCode: 1 }, { unique: true });
shortCodeSchema.index({ purgeAt: 1 }, { expireAfterSeconds: 0 });

export type ShortCode = InferSchemaType<typeof shortCodeSchema>;
export const ShortCodeModel = model('ShortCode', shortCodeSchema, 'shortcodes');

/** `purgeAt` for a short code expiring at `expiresAt`. */
export function shortCodePurgeAt(expiresAt: Date): Date {
  return new Date(expiresAt.getTime() + EXCHANGE_LIMITS.offlineWindowSeconds * 1000);
}

/** The current badge version per user: rotating increments it, revoking older badges. */
const badgeSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true, unique: true },
    version: { type: Number, required: true, default: 1 },
  },
  { timestamps: true, strict: 'throw' },
);

export const BadgeModel = model('Badge', badgeSchema, 'badges');

/**
 * The handshake log: one per event and unordered pair (`pairKey` = the two user ids
 * sorted and joined by ":"), enforced by a unique index so concurrent scans cannot
 * create two.
 */
const handshakeSchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, required: true },
    pairKey: { type: String, required: true },
    /** Both people, sorted; indexed so "my handshakes" is one query. */
    userIds: { type: [Schema.Types.ObjectId], required: true },
    /** Who scanned first, and whom. */
    initiatorId: { type: Schema.Types.ObjectId, required: true },
    otherId: { type: Schema.Types.ObjectId, required: true },
    method: { type: String, enum: HANDSHAKE_METHODS, required: true },
    /** Device clock of the first scan (may be hours before it reached us). */
    scannedAt: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    scanCount: { type: Number, required: true, default: 1 },
    /** True once `otherId` scanned `initiatorId` back. */
    mutual: { type: Boolean, required: true, default: false },
    mutualAt: { type: Date, default: null },
    /** `<scannerId>:<clientRef>` of every counted scan, so a retry never counts twice. */
    clientRefs: { type: [String], default: [] },
  },
  { timestamps: true, strict: 'throw' },
);
// Also serves every per-event read (a stats rebuild): eventId leads it. Each index costs
// every scan an entry, so none is kept that no query needs.
handshakeSchema.index({ eventId: 1, pairKey: 1 }, { unique: true });
// A person's handshakes, newest first (their data export) and their account deletion.
handshakeSchema.index({ userIds: 1, createdAt: -1 });

export type Handshake = InferSchemaType<typeof handshakeSchema> & { _id: unknown };
export type HandshakeDoc = HydratedDocument<InferSchemaType<typeof handshakeSchema>>;
export const HandshakeModel = model('Handshake', handshakeSchema, 'handshakes');

/** The unordered-pair key: the same for (a, b) and (b, a). */
export function pairKeyOf(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}
