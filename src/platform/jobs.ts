import type { Logger } from 'pino';

/**
 * A job that runs every `intervalMs`, never overlapping itself, and stops cleanly. Jobs keep no
 * state in memory that another instance would need: they work from the database.
 */
export class PeriodicJob {
  readonly #name: string;
  readonly #intervalMs: number;
  readonly #run: () => Promise<unknown>;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | null = null;
  #current: Promise<unknown> | null = null;

  constructor(name: string, intervalMs: number, run: () => Promise<unknown>, log: Logger) {
    this.#name = name;
    this.#intervalMs = intervalMs;
    this.#run = run;
    this.#log = log;
  }

  start(runNow = true): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.tick(), this.#intervalMs);
    this.#timer.unref();
    if (runNow) void this.tick();
  }

  async tick(): Promise<void> {
    if (this.#current) return;
    this.#current = this.#run().catch((error: unknown) =>
      this.#log.warn({ err: error, job: this.#name }, 'job failed'),
    );
    await this.#current;
    this.#current = null;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#current;
  }
}
