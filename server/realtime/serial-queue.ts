/**
 * Runs async tasks one after another. Broadcasting and replays share one queue so a reconnecting
 * client's replay and the live stream can neither overlap nor leave a gap.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Appends a task; resolves when it has run. */
  push(task: () => Promise<void>): Promise<void> {
    this.pending++;
    const run = this.tail
      .then(task)
      .catch(this.onError)
      .finally(() => {
        this.pending--;
      });
    this.tail = run;
    return run;
  }

  /** Resolves once every task queued so far has run. */
  drain(): Promise<void> {
    return this.tail;
  }

  /** Tasks queued or running. */
  get size(): number {
    return this.pending;
  }
}
