import { model, Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { LOCALES } from '../../../../shared/auth';

const userSchema = new Schema(
  {
    /** Lower-cased; uniqueness is enforced by the index, never by check-then-insert. */
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    /** `scrypt$N$r$p$salt$hash` (see passwords.ts). Never leaves the server. */
    passwordHash: { type: String, required: true },
    name: { type: String, required: true },
    locale: { type: String, enum: LOCALES, required: true, default: 'en' },
  },
  { timestamps: true, strict: 'throw' },
);

export type User = InferSchemaType<typeof userSchema>;
export type UserDoc = HydratedDocument<User>;
export const UserModel = model('User', userSchema, 'users');

/**
 * One row per refresh token ever issued. Tokens are opaque random strings stored only as
 * keyed SHA-256 hashes. A login starts a family; each refresh marks its row `rotatedAt`
 * and issues the next token in the same family. Presenting a rotated token again means it
 * was copied, so the whole family is revoked, unless it is the same refresh request
 * retried (same `Idempotency-Key`, see refresh-tokens.ts) because its answer was lost.
 */
const sessionSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true, index: true },
    familyId: { type: String, required: true, index: true },
    tokenHash: { type: String, required: true, unique: true },
    expiresAt: { type: Date, required: true },
    rotatedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    userAgent: { type: String, default: '' },
    /** Once rotated: the hash of the token that replaced this one. */
    successorHash: { type: String, default: null },
    /**
     * Once rotated by a request that carried an `Idempotency-Key`: that key's hash, and
     * until when the same request may be retried (its answer may never have arrived).
     */
    retryKeyHash: { type: String, default: null },
    retryUntil: { type: Date, default: null },
  },
  { timestamps: true, strict: 'throw' },
);

// A row is useless once expired (a rotated one too: its reuse could no longer succeed).
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type Session = InferSchemaType<typeof sessionSchema>;
export type SessionDoc = HydratedDocument<Session>;
export const SessionModel = model('Session', sessionSchema, 'sessions');
