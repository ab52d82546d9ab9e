import { TooManyRequestsError } from '../../errors';

export interface RateLimitRule {
  /** Attempts allowed within the window. */
  limit: number;
  windowMs: number;
}

/**
 * An in-memory sliding-window log per key (e.g. IP + email). Good for one node; several
 * nodes behind a load balancer each keep their own count, which still bounds guessing.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly rule: RateLimitRule,
    private readonly maxKeys = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one attempt, or throws 429 `rate_limited` with Retry-After when over. */
  consume(key: string): void {
    const now = this.now();
    const since = now - this.rule.windowMs;
    const recent = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (recent.length >= this.rule.limit) {
      const oldest = recent[0] ?? now;
      const retryAfter = Math.max(1, Math.ceil((oldest + this.rule.windowMs - now) / 1000));
      this.hits.set(key, recent);
      throw new TooManyRequestsError('Too many attempts. Try again later.', retryAfter);
    }
    recent.push(now);
    this.hits.delete(key);
    this.hits.set(key, recent);
    this.prune(since);
  }

  /** Forgets a key (e.g. after a successful sign-in). */
  reset(key: string): void {
    this.hits.delete(key);
  }

  private prune(since: number): void {
    if (this.hits.size <= this.maxKeys) return;
    // Maps iterate in insertion order and keys are re-inserted on use: oldest first.
    for (const [key, times] of this.hits) {
      if (this.hits.size <= this.maxKeys * 0.9) break;
      if ((times[times.length - 1] ?? 0) <= since || this.hits.size > this.maxKeys) {
        this.hits.delete(key);
      }
    }
  }
}
