/**
 * Scheduling live preview renders while the user drags sliders.
 *
 * Every change is handed to `schedule(job)`; only the newest job matters. A render starts
 * after `debounceMs` without changes (the user paused), or at the latest `maxWaitMs` after the
 * first change nobody has rendered yet, so a long drag still produces audio along the way.
 * At most one render is in flight (Kokoro runs are serialised anyway; piling them up only
 * adds latency). When the user pauses and the render in flight is for an older job, it is
 * stale: it is cancelled (its result is never delivered) and the newest job starts as soon
 * as it settles. A render started by `maxWaitMs` during a drag is not cancelled by the next
 * mid-drag deadline, so renders slower than `maxWaitMs` still play one after another instead
 * of starving each other. Jobs replaced before they started are counted as coalesced.
 */

export const PREVIEW_DEBOUNCE_MS = 120;
export const PREVIEW_MAX_WAIT_MS = 360;

export interface PreviewRenderer<Job, Result> {
  /** Starts one render; resolves undefined when the renderer itself saw the cancellation. */
  render(job: Job, requestId: number): Promise<Result | undefined>;
  /** Asks the renderer to stop `requestId` early (best effort; its result is dropped anyway). */
  cancel(requestId: number): void;
}

export interface PreviewSchedulerOptions<Job, Result> extends PreviewRenderer<Job, Result> {
  /** Called with each render that finished and was not cancelled, in start order. */
  onResult(result: Result, job: Job, requestId: number): void;
  onError?(error: unknown, job: Job, requestId: number): void;
  /** Called whenever `busy` may have changed (a render started or settled). */
  onBusyChange?(busy: boolean): void;
  debounceMs?: number;
  maxWaitMs?: number;
}

export interface PreviewSchedulerStats {
  /** Calls to `schedule`. */
  requested: number;
  /** Renders handed to the renderer. */
  started: number;
  /** Started renders whose result was dropped because a newer job replaced them. */
  cancelled: number;
  /** Renders whose result was delivered. */
  completed: number;
  failed: number;
  /** Jobs replaced by a newer one before they ever started. */
  coalesced: number;
}

interface InFlight {
  requestId: number;
  generation: number;
  cancelled: boolean;
}

type Timer = ReturnType<typeof setTimeout>;

export class PreviewScheduler<Job, Result> {
  private readonly debounceMs: number;
  private readonly maxWaitMs: number;
  private pending: { job: Job; generation: number } | undefined;
  private generation = 0;
  private nextRequestId = 1;
  private inFlight: InFlight | undefined;
  /** The pending job is due: start it as soon as nothing is in flight. */
  private due = false;
  private quietTimer: Timer | undefined;
  private maxWaitTimer: Timer | undefined;
  private disposed = false;
  private readonly counts: PreviewSchedulerStats = {
    requested: 0,
    started: 0,
    cancelled: 0,
    completed: 0,
    failed: 0,
    coalesced: 0,
  };

  constructor(private readonly options: PreviewSchedulerOptions<Job, Result>) {
    this.debounceMs = options.debounceMs ?? PREVIEW_DEBOUNCE_MS;
    this.maxWaitMs = Math.max(options.maxWaitMs ?? PREVIEW_MAX_WAIT_MS, this.debounceMs);
  }

  get stats(): Readonly<PreviewSchedulerStats> {
    return { ...this.counts };
  }

  /** True while a render is in flight or a job waits to start. */
  get busy(): boolean {
    return this.inFlight !== undefined || this.pending !== undefined;
  }

  /** A new state to preview; replaces any job that has not started yet. */
  schedule(job: Job): void {
    if (this.disposed) return;
    this.counts.requested++;
    if (this.pending) this.counts.coalesced++;
    this.pending = { job, generation: ++this.generation };
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.dispatch(true), this.debounceMs);
    if (this.maxWaitTimer === undefined) {
      this.maxWaitTimer = setTimeout(() => this.dispatch(false), this.maxWaitMs);
    }
    this.options.onBusyChange?.(true);
  }

  /** Starts the pending job now (e.g. the preview text changed, or a Play button). */
  flush(): void {
    this.dispatch(true);
  }

  /** Cancels everything and ignores later calls. */
  dispose(): void {
    this.disposed = true;
    this.clearTimers();
    if (this.pending) this.counts.coalesced++;
    this.pending = undefined;
    this.cancelInFlight();
  }

  private clearTimers(): void {
    clearTimeout(this.quietTimer);
    clearTimeout(this.maxWaitTimer);
    this.quietTimer = undefined;
    this.maxWaitTimer = undefined;
  }

  /** `settled`: the user paused (or asked), so an older render in flight is stale. */
  private dispatch(settled: boolean): void {
    this.clearTimers();
    if (!this.pending) return;
    this.due = true;
    if (this.inFlight) {
      if (settled) this.cancelInFlight();
      return;
    }
    this.startPending();
  }

  private cancelInFlight(): void {
    const flight = this.inFlight;
    if (!flight || flight.cancelled) return;
    flight.cancelled = true;
    this.counts.cancelled++;
    this.options.cancel(flight.requestId);
  }

  private startPending(): void {
    const pending = this.pending;
    if (!pending || this.disposed) return;
    this.pending = undefined;
    this.due = false;
    this.clearTimers();
    const flight: InFlight = {
      requestId: this.nextRequestId++,
      generation: pending.generation,
      cancelled: false,
    };
    this.inFlight = flight;
    this.counts.started++;
    this.options.onBusyChange?.(true);
    let promise: Promise<Result | undefined>;
    try {
      promise = this.options.render(pending.job, flight.requestId);
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (result) => this.settle(flight, pending.job, { result }),
      (error: unknown) => this.settle(flight, pending.job, { error }),
    );
  }

  private settle(
    flight: InFlight,
    job: Job,
    outcome: { result?: Result | undefined; error?: unknown },
  ): void {
    if (this.inFlight === flight) this.inFlight = undefined;
    if (!flight.cancelled) {
      if ('error' in outcome) {
        this.counts.failed++;
        this.options.onError?.(outcome.error, job, flight.requestId);
      } else if (outcome.result === undefined) {
        // The renderer saw a cancellation we did not ask for (e.g. the worker restarted).
        this.counts.cancelled++;
      } else {
        this.counts.completed++;
        this.options.onResult(outcome.result, job, flight.requestId);
      }
    }
    if (this.due && !this.disposed) this.startPending();
    this.options.onBusyChange?.(this.busy);
  }
}
