/** Named events with handlers; a handler that throws does not stop the others (nor the client). */
export class Emitter {
  #handlers = new Map();

  /** Adds a handler; returns a function that removes it. */
  on(event, handler) {
    const set = this.#handlers.get(event) ?? new Set();
    set.add(handler);
    this.#handlers.set(event, set);
    return () => set.delete(handler);
  }

  emit(event, value) {
    for (const handler of this.#handlers.get(event) ?? []) {
      try {
        handler(value);
      } catch (e) {
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }
}
