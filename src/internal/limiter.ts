// A counting semaphore for expensive work (password hashing): at most `limit` tasks run at once, the rest
// wait in arrival order. Waiting costs a closure, not the task's memory, so a burst of logins queues
// instead of allocating an Argon2 block array each.

/** Runs async tasks at most `limit` at a time, first come first served. */
export class Limiter {
  #limit: number;
  #active = 0;
  // A queue with a moving head: shift() on a long array is O(n) per call.
  #queue: Array<() => void> = [];
  #head = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get limit(): number {
    return this.#limit;
  }

  /** A new limit applies at once to waiting tasks; running tasks above it finish undisturbed. */
  set limit(value: number) {
    this.#limit = value;
    this.#drain();
  }

  /** Tasks running now. */
  get active(): number {
    return this.#active;
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active < this.#limit && this.waiting === 0) this.#active++;
    // #drain counts the slot before it wakes us.
    else await new Promise<void>((resolve) => this.#queue.push(resolve));
    try {
      return await task();
    } finally {
      this.#active--;
      this.#drain();
    }
  }

  #drain(): void {
    while (this.#active < this.#limit && this.waiting > 0) {
      this.#active++;
      const next = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as never;
      next();
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
