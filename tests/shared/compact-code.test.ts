import { describe, expect, it } from 'vitest';
import { compactCodeLabel, compactCodeName, readCompactCode } from '../../shared/exchange';
import {
  signBadgeToken,
  signExchangeToken,
} from '../../server/src/features/exchange/exchange.tokens';

const secret = { jwtSecret: 'a-test-secret-that-is-long-enough-0123456789' };
const USER = '0123456789abcdef01234567';
const EVENT = '89abcdef0123456789abcdef';

describe('compact codes: the name they carry for the scanner', () => {
  it('cuts the name to 24 bytes of UTF-8 between characters, never inside one', () => {
    expect(new TextDecoder().decode(compactCodeName('  Éloïse Müller-Ørsted  '))).toBe(
      'Éloïse Müller-Ørsted',
    );
    // 24 bytes exactly: kept whole.
    expect(compactCodeName('Éloïse Müller-Ørsted')).toHaveLength(24);
    const cut = compactCodeName('Ørjan Ødegård-Ærøskøbing Åsheim');
    expect(cut.length).toBeLessThanOrEqual(24);
    expect(new TextDecoder('utf-8', { fatal: true }).decode(cut)).toBe('Ørjan Ødegård-Ærøsk');
    expect(compactCodeName('李小龍 和 王菲 一起 在 會場')).toHaveLength(24);
  });

  it('reads back what the server signed; the scanner shows the name from the code alone', () => {
    const expires = new Date('2026-11-26T20:00:00Z');
    const token = signExchangeToken(secret, USER, EVENT, expires, 'Éloïse Müller-Ørsted');
    expect(readCompactCode(Buffer.from(token, 'base64url'))).toMatchObject({
      kind: 'exchange',
      userId: USER,
      eventId: EVENT,
      value: expires.getTime() / 1000,
      name: 'Éloïse Müller-Ørsted',
    });
    expect(compactCodeLabel(token)).toBe('Éloïse Müller-Ørsted');
    const badge = signBadgeToken(secret, USER, EVENT, 3, 'Bob');
    expect(readCompactCode(Buffer.from(badge, 'base64url'))).toMatchObject({
      kind: 'badge',
      value: 3,
      name: 'Bob',
    });
    // No name, a JWT, or bytes that are not a code: nothing to show.
    expect(compactCodeLabel(signExchangeToken(secret, USER, EVENT, expires))).toBeUndefined();
    expect(compactCodeLabel('eyJhbGciOiJIUzI1NiJ9.e30.c2ln')).toBeUndefined();
    expect(compactCodeLabel('A'.repeat(64))).toBeUndefined();
  });

  it('shows printable characters only, without direction overrides, from a code it cannot verify', () => {
    const name = Buffer.from('Eve\u0007\u202e\u0085X\u2067é', 'utf8');
    const forged = Buffer.concat([
      Buffer.from([1]),
      Buffer.from(USER, 'hex'),
      Buffer.from(EVENT, 'hex'),
      Buffer.from([0, 0, 0, 1, name.length]),
      name,
      Buffer.alloc(16),
    ]).toString('base64url');
    expect(compactCodeLabel(forged)).toBe('EveXé');
  });
});
