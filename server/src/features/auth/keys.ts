import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';

/** What a derived key signs. Each kind of token or code has its own key. */
export type KeyPurpose = 'access' | 'refresh' | 'exchange' | 'badge';

const cache = new Map<string, Map<KeyPurpose, KeyObject>>();

/**
 * One HKDF-SHA256 key per purpose, derived from the app secret and cached. Distinct keys
 * (plus distinct `aud`/`typ`) make a token of one kind never verify as another, and a
 * `KeyObject` made once keeps jsonwebtoken at microseconds per sign/verify instead of
 * re-importing a string secret on every call.
 */
export function deriveKey(secret: string, purpose: KeyPurpose): KeyObject {
  let bySecret = cache.get(secret);
  if (!bySecret) {
    bySecret = new Map();
    cache.set(secret, bySecret);
  }
  const cached = bySecret.get(purpose);
  if (cached) return cached;
  const bytes = hkdfSync('sha256', secret, 'coopetition-keys-v1', `coopetition:${purpose}`, 32);
  const key = createSecretKey(Buffer.from(bytes));
  bySecret.set(purpose, key);
  return key;
}
