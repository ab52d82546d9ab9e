/**
 * Coalesces many small database operations of the same kind into one command. Callers
 * submit one item each and get their own result back; items that arrive while earlier
 * batches are being answered go out together in the next one ("group commit").
 *
 * By default nothing waits on a timer: a batch leaves as soon as the event loop has taken
 * in what already arrived (`setImmediate`) and fewer than `maxInFlight` batches are out. At
 * a low rate every item therefore travels alone, as it would without a batcher; under load
 * one command carries many items, so the per-command cost (driver, wire encoding, socket
 * writes and reads on both sides) is paid once per batch instead of once per request.
 * Work that may wait (derived counters) sets `delayMs` to gather more per batch.
 */
export interface BatcherOptions {
  /** Items per command at most; a full batch leaves at once. */
  maxBatch?: number;
  /** Batches awaiting their answer at once. */
  maxInFlight?: number;
  /** How long a batch waits for more items before it leaves; 0: only the same turn's. */
  delayMs?: number;
}

/**
 * Runs one batch: resolves with one outcome per item, in order. An `Error` outcome fails
 * only its own item; a rejected promise fails the whole batch.
 */
export type BatchRunner<I, O> = (items: readonly I[]) => Promise<readonly (O | Error)[]>;

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
}

export class Batcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private readonly running = new Set<Promise<void>>();
  /** Cancels the scheduled dispatch, when one is scheduled. */
  private cancelScheduled: (() => void) | undefined;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly delayMs: number;

  constructor(
    private readonly run: BatchRunner<I, O>,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.delayMs = options.delayMs ?? 0;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.dispatch();
      else this.schedule();
    });
  }

  /** Sends what is queued without waiting; resolves once nothing is queued or out. */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.running.size > 0) {
      this.dispatch();
      await Promise.all(this.running);
    }
  }

  private schedule(): void {
    if (this.cancelScheduled || this.running.size >= this.maxInFlight) return;
    if (this.queue.length === 0) return;
    if (this.delayMs > 0) {
      const timer = setTimeout(() => this.dispatch(), this.delayMs);
      this.cancelScheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.dispatch());
      this.cancelScheduled = () => clearImmediate(immediate);
    }
  }

  private dispatch(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
    while (this.running.size < this.maxInFlight && this.queue.length > 0) {
      const settled: Promise<void> = this.settle(this.queue.splice(0, this.maxBatch)).finally(
        () => {
          this.running.delete(settled);
          this.schedule();
        },
      );
      this.running.add(settled);
    }
  }

  private async settle(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const outcomes = await this.run(batch.map((waiting) => waiting.item));
      batch.forEach((waiting, i) => {
        const outcome = outcomes[i];
        if (outcome instanceof Error) waiting.reject(outcome);
        else if (outcome === undefined && outcomes.length <= i) {
          waiting.reject(new Error('batch runner returned too few outcomes'));
        } else waiting.resolve(outcome as O);
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
