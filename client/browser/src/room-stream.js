/**
 * One room's place in its message stream: the epoch and the last offset handed to the page. Every message passes
 * through here, so each (epoch, offset) goes out once and in order, whatever the protocol delivers twice or early.
 *
 * A join (first or after a reconnect) runs as beginSync() … endSync(history, position): live messages that arrive
 * meanwhile (SignalR does not order a call's result against events) wait in a buffer; the join's history is taken as
 * the server's truth (a new epoch restarts the stream), then the buffered messages that follow it. A live message that
 * is not the next offset of the epoch (a gap, another epoch) asks for a re-join with `since`, which fills the gap.
 */
export class RoomStream {
  /** After this many re-joins in a row that did not close a gap, the stream moves on past it rather than loop. */
  static MaxResyncs = 3;

  #deliver;
  #reset;
  #syncing = false;
  #buffer = [];
  #resyncs = 0;

  /**
   * @param {(message: object) => void} deliver gets each message once, in order
   * @param {(epoch: string) => void} reset told when the server restarted the room's history (a new epoch)
   */
  constructor(deliver, reset) {
    this.#deliver = deliver;
    this.#reset = reset;
    this.epoch = null;
    this.offset = 0;
  }

  /** The `since` of the next join: null before anything was seen. */
  get since() {
    return this.epoch === null ? null : { epoch: this.epoch, offset: this.offset };
  }

  get syncing() {
    return this.#syncing;
  }

  /** A join starts: what arrived before it is covered by its history (it asks from `since`), so the buffer starts empty. */
  beginSync() {
    this.#syncing = true;
    this.#buffer = [];
  }

  /** The join was not answered (connection lost): the next one starts over from `since`. */
  abortSync() {
    this.#syncing = false;
    this.#buffer = [];
  }

  /**
   * A live message. Returns "delivered", "duplicate", "buffered" (a join is under way) or "resync" (not the next
   * offset: the caller re-joins with `since`).
   */
  live(message) {
    if (this.#syncing) {
      this.#buffer.push(message);
      return "buffered";
    }

    if (message.epoch === this.epoch && message.offset <= this.offset) {
      return "duplicate";
    }

    // Nothing seen yet after a join (a STOMP subscription to an empty room): the first message starts the stream.
    if (this.epoch === null || this.#follows(message)) {
      this.#accept(message);
      return "delivered";
    }

    return "resync";
  }

  /**
   * The join returned: its history (the server's truth; a new epoch restarts the stream), the position it covers
   * (SignalR's `epoch`/`offset`; absent for STOMP, whose history carries it), then the buffered live messages.
   * Returns "resync" when a buffered message still leaves a gap, else "synced".
   */
  endSync(history, position) {
    this.#syncing = false;
    for (const message of history) {
      if (message.epoch !== this.epoch) {
        this.#restart(message.epoch);
      }

      if (message.offset > this.offset) {
        this.#accept(message);
      }
    }

    if (position) {
      if (position.epoch !== this.epoch) {
        this.#restart(position.epoch);
      }

      this.offset = Math.max(this.offset, position.offset);
    }

    const buffered = this.#buffer.filter((m) => m.epoch === this.epoch).sort((a, b) => a.offset - b.offset);
    this.#buffer = [];
    for (const message of buffered) {
      if (message.offset <= this.offset) {
        continue;
      }

      if (!this.#follows(message) && this.#resyncs < RoomStream.MaxResyncs) {
        this.#resyncs++;
        return "resync";
      }

      this.#accept(message);
    }

    this.#resyncs = 0;
    return "synced";
  }

  #follows(message) {
    return message.epoch === this.epoch && message.offset === this.offset + 1;
  }

  #restart(epoch) {
    if (this.epoch !== null) {
      this.#reset(epoch);
    }

    this.epoch = epoch;
    this.offset = 0;
  }

  #accept(message) {
    this.epoch = message.epoch;
    this.offset = message.offset;
    this.#deliver(message);
  }
}
