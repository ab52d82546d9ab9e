import { TooManyRequestsError } from '../../errors';

/**
 * Counts failures only (e.g. wrong codes per scanner) in a sliding window and refuses
 * further attempts once a key reached the limit. Successful scans never count, so a busy
 * exhibitor scanning hundreds of badges is never slowed down, while guessing short codes
 * is bounded to a few dozen tries per window.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Throws 429 `rate_limited` (with Retry-After) when `key` failed too often lately. */
  assertAllowed(key: string, now = Date.now()): void {
    const recent = this.recent(key, now);
    if (recent.length < this.limit) return;
    const oldest = recent[0] ?? now;
    throw new TooManyRequestsError(
      'Too many wrong codes. Try again later.',
      Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)),
    );
  }

  recordFailure(key: string, now = Date.now()): void {
    const recent = this.recent(key, now);
    recent.push(now);
    this.failures.delete(key);
    this.failures.set(key, recent);
    if (this.failures.size > this.maxKeys) {
      // Oldest keys first (insertion order); drop a tenth.
      let drop = Math.ceil(this.maxKeys / 10);
      for (const stale of this.failures.keys()) {
        if (drop-- <= 0) break;
        this.failures.delete(stale);
      }
    }
  }

  private recent(key: string, now: number): number[] {
    const since = now - this.windowMs;
    const recent = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (recent.length === 0) this.failures.delete(key);
    return recent;
  }
}
