/**
 * When to connect again. A move the server asked for (SignalR `reconnect`, STOMP close 1012) is followed at once,
 * with a little jitter: the server already spreads its closes. Anything else (a dropped connection, a failed
 * attempt, a session the server ended soon after it began) backs off exponentially with jitter, and the back-off
 * starts over once a session has lasted `stableMs`.
 */
export class RetryPolicy {
  constructor({ baseMs = 500, maxMs = 10_000, stableMs = 5_000, moveJitterMs = 250 } = {}, random = Math.random) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
    this.stableMs = stableMs;
    this.moveJitterMs = moveJitterMs;
    this.random = random;
    this.failures = 0;
  }

  /** The wait before the next attempt, after a session that lasted `livedMs` (0: the attempt failed) and ended as it did. */
  next({ moved, livedMs }) {
    if (moved || livedMs >= this.stableMs) {
      this.failures = 0;
    }

    if (moved) {
      return this.random() * this.moveJitterMs;
    }

    this.failures++;
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** (this.failures - 1));
    return ceiling / 2 + (this.random() * ceiling) / 2;
  }

  /** The wait before asking again for something the server refused for now (a room while its store is unavailable). */
  afterRefusal() {
    return this.maxMs / 2 + (this.random() * this.maxMs) / 2;
  }
}
