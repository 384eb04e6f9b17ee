/**
 * The one queue in front of every model session of the inference worker: one task (one
 * onnxruntime run, or a short group of them) runs at a time, whatever session it uses, so one
 * onnxruntime instance with one WASM thread pool is never asked for two runs at once.
 *
 * Order: every queued 'interactive' task (Speak, Generate, the Voices preview, the References
 * analysis) before any 'background' one (clone evaluations); first in, first out within a
 * priority. An interactive request made of several runs (Speak's sentences, one after the
 * other) holds background work back between its runs (`holdBackground`), so a clone yields to
 * the whole of it, not only to its next run. A queued task whose AbortSignal fires is taken out of the queue and rejects with
 * AbortedError. A running task cannot be interrupted (an onnxruntime run has no cancel): its
 * signal is only looked at before it starts, and its caller drops the result afterwards. A task
 * that throws rejects its own promise and never blocks the ones behind it.
 *
 * Pure TypeScript (no DOM, no onnxruntime): unit-tested in Node.
 */
import { AbortedError } from '../progress';

export type TaskPriority = 'interactive' | 'background';

export interface ScheduleOptions {
  /** Default 'interactive'. */
  priority?: TaskPriority;
  /** Cancels the task while it is queued (not once it runs). */
  signal?: AbortSignal;
  /** Who asked (e.g. a connected worker); cancelOwner(owner) cancels all its queued tasks. */
  owner?: string;
}

interface QueuedTask {
  priority: TaskPriority;
  owner: string | undefined;
  start: () => void;
  cancel: (reason?: unknown) => void;
}

export class PriorityScheduler {
  private readonly queues: Record<TaskPriority, QueuedTask[]> = { interactive: [], background: [] };
  private running = false;
  private holds = 0;

  /** Runs `task` when its turn comes; resolves or rejects with what it does. */
  schedule<T>(task: () => Promise<T>, options: ScheduleOptions = {}): Promise<T> {
    const { signal } = options;
    const priority = options.priority ?? 'interactive';
    if (signal?.aborted) return Promise.reject(new AbortedError());
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => entry.cancel();
      const entry: QueuedTask = {
        priority,
        owner: options.owner,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          let result: Promise<T>;
          try {
            result = task();
          } catch (error) {
            result = Promise.reject(error);
          }
          result.then(resolve, reject).finally(() => {
            this.running = false;
            this.next();
          });
        },
        cancel: () => {
          signal?.removeEventListener('abort', onAbort);
          if (this.remove(entry)) reject(new AbortedError());
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queues[priority].push(entry);
      this.next();
    });
  }

  /** Cancels every queued task of `owner` (a running one finishes); returns how many. */
  cancelOwner(owner: string): number {
    const mine = [...this.queues.interactive, ...this.queues.background].filter((t) => t.owner === owner);
    for (const task of mine) task.cancel();
    return mine.length;
  }

  /**
   * Background tasks do not start until the returned release is called (interactive ones still
   * do): for an interactive request between its runs. Calling the release twice is once.
   */
  holdBackground(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.next();
    };
  }

  /** Tasks waiting (not the running one), by priority. */
  get pending(): Record<TaskPriority, number> {
    return { interactive: this.queues.interactive.length, background: this.queues.background.length };
  }

  get busy(): boolean {
    return this.running;
  }

  private remove(task: QueuedTask): boolean {
    const queue = this.queues[task.priority];
    const index = queue.indexOf(task);
    if (index < 0) return false;
    queue.splice(index, 1);
    return true;
  }

  private next(): void {
    if (this.running) return;
    const task =
      this.queues.interactive.shift() ?? (this.holds === 0 ? this.queues.background.shift() : undefined);
    if (!task) return;
    this.running = true;
    task.start();
  }
}
