/**
 * Coalesces many small database operations of the same kind into one command. Callers
 * submit one item each and get their own result back; items that arrive while earlier
 * batches are being answered go out together in the next one ("group commit").
 *
 * Nothing waits on a timer: a batch leaves as soon as the event loop has taken in what
 * already arrived (`setImmediate`) and fewer than `maxInFlight` batches are out. At a low
 * rate every item therefore travels alone, as it would without a batcher; under load one
 * command carries many items, so the per-command cost (driver, wire encoding, socket
 * writes and reads on both sides) is paid once per batch instead of once per request.
 */
export interface BatcherOptions {
  /** Items per command at most. */
  maxBatch?: number;
  /** Batches awaiting their answer at once. */
  maxInFlight?: number;
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
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly run: BatchRunner<I, O>,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.settle(batch);
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
    } finally {
      this.inFlight -= 1;
      this.schedule();
    }
  }
}
