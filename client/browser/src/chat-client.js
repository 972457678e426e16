import { ChatError, ROOM_NAME } from "./chat-error.js";
import { Emitter } from "./emitter.js";
import { RetryPolicy } from "./retry-policy.js";
import { RoomStream } from "./room-stream.js";
import { openSignalRSession } from "./signalr-session.js";
import { openStompSession } from "./stomp-session.js";
import { keepTokenFresh } from "./token-refresh.js";

const PROTOCOLS = { signalr: openSignalRSession, stomp: openStompSession };

/**
 * The chat for a page: one user, any number of rooms, SignalR or STOMP. It keeps connected by itself: after any
 * end of its connection (the server's `reconnect` or close 1012, a dropped socket, a failed attempt) it connects
 * again (at once after a move, with back-off otherwise) and re-joins every room from its last (epoch, offset), so
 * the page gets each message once, in order per room, with nothing missed.
 *
 * Events (`on(name, handler)`, which returns a function that removes the handler):
 * - "message" {type, sender, content, room, offset, epoch, sentAt}: each once, in offset order per room;
 * - "presence" {room, members}: who is in a room (SignalR; the STOMP endpoint sends no presence);
 * - "state" {state, replica, reason}: "connecting" | "connected" | "reconnecting" | "disconnected";
 * - "reset" {room, epoch}: the server restarted the room's history; its messages start over;
 * - "error" ChatError: a failure no call reports (a re-join refused after a reconnect, a server ERROR frame, a token
 *   refresh refused).
 *
 * With `accessToken` (Jwt servers) the token's `exp` is read and a new token is presented in band before it expires
 * (the hub's RefreshToken, STOMP's /app/token.refresh), so the connection lives on; a refused refresh ends it and the
 * client connects again with a new token.
 */
export class ChatClient {
  #events = new Emitter();
  #open;
  #options;
  #retry;
  #rooms = new Map(); // name -> { stream, members, confirmed, joining, waiters }
  #session = null; // the connection joins and sends go to, while it is up
  #run = 0; // the id of the running connect loop; stop() ends it
  #waits = new Set(); // cancels of the pending waits
  #started = null; // start()'s promise, until stop()
  #resolveStarted = null;
  #everConnected = false;
  #state = "disconnected";
  #replica = null;

  /**
   * @param {object} options
   * @param {string} options.user the name to chat as
   * @param {"signalr"|"stomp"} [options.protocol] default "signalr"
   * @param {string|URL} [options.url] the chat server (default: the page's origin); /hub/chat and /ws are under it
   * @param {Function} [options.WebSocket] a WebSocket class where there is no global one (Node 20: the `ws` package)
   * @param {object} [options.retry] back-off: {baseMs, maxMs, stableMs, moveJitterMs}
   * @param {number} [options.connectTimeoutMs] an attempt to connect is given up after this (default 15 s)
   * @param {Function} [options.accessToken] Jwt servers: returns (or resolves to) the access token for each attempt
   */
  constructor({ user, protocol = "signalr", url, WebSocket, retry, connectTimeoutMs = 15_000, accessToken } = {}) {
    if (typeof user !== "string" || user.trim() === "") {
      throw new ChatError("A user name is required", "invalid");
    }

    this.#open = PROTOCOLS[protocol];
    if (!this.#open) {
      throw new ChatError(`Unknown protocol '${protocol}': signalr or stomp`, "invalid");
    }

    if (url === undefined && globalThis.location === undefined) {
      throw new ChatError("The chat server's url is required outside a browser", "invalid");
    }

    const base = new URL(url ?? globalThis.location.origin, globalThis.location?.href);
    if (!base.pathname.endsWith("/")) {
      base.pathname += "/";
    }

    this.user = user.trim();
    this.protocol = protocol;
    // identity.secret: the reconnection secret of the name (anonymous servers), presented on every connection from
    // the first on; made up here, so that an attempt whose answer never came (a connect timeout) and its retry hold
    // the name alike. accessToken: a function giving the token for each attempt (Jwt servers).
    this.#options = { baseUrl: base.href, WebSocket, connectTimeoutMs, accessToken, identity: { secret: newSecret() } };
    this.#retry = new RetryPolicy(retry);
  }

  on(event, handler) {
    return this.#events.on(event, handler);
  }

  get state() {
    return this.#state;
  }

  /** The replica the current connection is on (null until known). */
  get replica() {
    return this.#replica;
  }

  get rooms() {
    return [...this.#rooms.keys()];
  }

  /** Where a room is: the epoch and the last offset handed to the page (null before its first message). */
  position(room) {
    return this.#rooms.get(room)?.stream.since ?? null;
  }

  /** Starts connecting (and keeps connected until stop()); resolves once connected the first time. */
  start() {
    if (!this.#started) {
      this.#started = new Promise((resolve) => (this.#resolveStarted = resolve));
      void this.#connectLoop(++this.#run);
    }

    return this.#started;
  }

  /** Closes the connection and stops reconnecting; join() calls still waiting are refused with kind "stopped". */
  async stop() {
    this.#run++;
    this.#started = null;
    for (const cancel of this.#waits) {
      cancel();
    }

    const session = this.#session;
    this.#session = null;
    for (const [name, room] of this.#rooms) {
      this.#settle(name, room, new ChatError("The chat client was stopped", "stopped", { room: name }));
    }

    await session?.close();
    this.#setState("disconnected");
  }

  /**
   * Joins a room (now, or as soon as connected): resolves with {room, replica, members} once joined, after the
   * room's history went out as "message" events; rejects with the server's reason when it refuses the room.
   * The room stays joined across reconnects until leave().
   */
  join(name) {
    if (typeof name !== "string" || !ROOM_NAME.test(name)) {
      return Promise.reject(new ChatError(`'${name}' is not a room name: letters, digits, - or _`, "invalid", { room: name }));
    }

    let room = this.#rooms.get(name);
    if (room?.confirmed) {
      return Promise.resolve({ room: name, replica: this.#replica, members: room.members });
    }

    if (!room) {
      room = {
        stream: new RoomStream(
          (message) => this.#events.emit("message", message),
          (epoch) => this.#events.emit("reset", { room: name, epoch })),
        members: null, // unknown until the server tells (SignalR)
        confirmed: false,
        joining: null, // the connection a join of the room is under way on
        waiters: [],
      };
      this.#rooms.set(name, room);
      if (this.#session) {
        void this.#joinRoom(this.#session, name, room);
      }
    }

    return new Promise((resolve, reject) => room.waiters.push({ resolve, reject }));
  }

  /** Sends a chat message; resolves once the server took it (with its offset on SignalR). */
  async send(room, content) {
    const session = this.#session;
    if (!session || this.#state !== "connected") {
      throw new ChatError("Not connected to the chat server", "disconnected", { room });
    }

    if (!this.#rooms.get(room)?.confirmed) {
      throw new ChatError(`Join room '${room}' before sending to it`, "invalid", { room });
    }

    return session.send(room, content, this.user);
  }

  /** Leaves a room: no more of its messages; on SignalR also the server's LEAVE when it was the user's last connection. */
  async leave(name) {
    const room = this.#rooms.get(name);
    if (!room) {
      return;
    }

    this.#rooms.delete(name);
    this.#settle(name, room, new ChatError(`Left room '${name}'`, "stopped", { room: name }));
    try {
      await this.#session?.leave(name);
    } catch (e) {
      if (e?.kind !== "disconnected") {
        throw e;
      }
    }
  }

  async #connectLoop(run) {
    const running = () => this.#run === run;
    while (running()) {
      this.#setState(this.#everConnected ? "reconnecting" : "connecting");
      const session = this.#open(this.#options, {
        message: (message) => this.#onMessage(session, message),
        presence: (update) => this.#onPresence(session, update),
        error: (error) => this.#events.emit("error", error),
      });
      let ended = false;
      let end = { moved: false, reason: undefined };
      let openedAt = null;
      try {
        const { replica } = await this.#withTimeout(session.open(), () => session.close());
        openedAt = Date.now();
        const stopRefreshing = this.#keepTokenFresh(session);
        void session.closed.then(() => {
          ended = true;
          stopRefreshing();
        });
        this.#setReplica(replica);

        if (running()) {
          this.#session = session;
          await this.#joinAll(session);
          if (!ended && this.#session === session) {
            this.#everConnected = true;
            this.#setState("connected");
            this.#resolveStarted?.();
          }

          end = await session.closed;
        }
      } catch (e) {
        end = { moved: false, reason: e?.reason ?? e?.message };
      }

      if (this.#session === session) {
        this.#session = null;
      }

      for (const room of this.#rooms.values()) {
        room.joining = null;
        room.stream.abortSync();
      }

      if (!running()) {
        void session.close();
        return;
      }

      const delay = this.#retry.next({ moved: end.moved, livedMs: openedAt === null ? 0 : Date.now() - openedAt });
      this.#setState("reconnecting", end.reason);
      await this.#wait(delay);
    }
  }

  /** Jwt servers: a new token in band before the current one expires; a refusal ends the connection (and reconnects). */
  #keepTokenFresh(session) {
    const accessToken = this.#options.accessToken;
    if (!accessToken || !session.token) {
      return () => {};
    }

    return keepTokenFresh(session.token, {
      accessToken,
      present: (token) => session.refreshToken(token),
      refused: (error) => {
        this.#events.emit("error", error instanceof ChatError ? error : new ChatError(String(error?.message ?? error), "refused", { cause: error }));
        void session.close();
      },
    });
  }

  #joinAll(session) {
    return Promise.all([...this.#rooms].map(([name, room]) => this.#joinRoom(session, name, room)));
  }

  /** (Re-)joins one room on this connection from its `since`; a refusal drops a room never joined, else is retried. */
  async #joinRoom(session, name, room) {
    if (room.joining) {
      return; // a join under way on this connection covers it
    }

    room.joining = session;
    room.stream.beginSync();
    const current = () => room.joining === session && this.#session === session && this.#rooms.get(name) === room;
    let outcome;
    try {
      const joined = await session.join(name, this.user, room.stream.since);
      if (!current()) {
        return;
      }

      room.joining = null;
      this.#setReplica(joined.replica);

      outcome = room.stream.endSync(joined.history, joined.position);
      room.confirmed = true;
      if (joined.members) {
        this.#onPresence(session, { room: name, members: joined.members });
      }

      this.#settle(name, room);
    } catch (e) {
      if (!current()) {
        return;
      }

      room.joining = null;
      room.stream.abortSync();
      const error = e instanceof ChatError ? e : new ChatError(String(e?.message ?? e), "disconnected", { room: name, cause: e });
      if (error.kind !== "refused") {
        return; // the connection is ending: the next one joins again
      }

      if (!room.confirmed) {
        this.#rooms.delete(name);
        this.#settle(name, room, error);
        return;
      }

      // A room that was joined before and is refused now (the store is unavailable, say): try again on this connection.
      this.#events.emit("error", error);
      await this.#wait(this.#retry.afterRefusal());
      outcome = "resync";
    }

    if (outcome === "resync" && this.#session === session && this.#rooms.get(name) === room) {
      await this.#joinRoom(session, name, room);
    }
  }

  #onMessage(session, message) {
    const room = this.#rooms.get(message.room);
    if (session !== this.#session || !room) {
      return;
    }

    if (room.stream.live(message) === "resync") {
      void this.#joinRoom(session, message.room, room);
    }
  }

  #onPresence(session, { room: name, members }) {
    const room = this.#rooms.get(name);
    if (session !== this.#session || !room) {
      return;
    }

    room.members = members;
    this.#events.emit("presence", { room: name, members });
  }

  /** Resolves (or, with an error, rejects) the join() calls waiting for a room. */
  #settle(name, room, error) {
    const waiters = room.waiters;
    room.waiters = [];
    for (const waiter of waiters) {
      if (error) {
        waiter.reject(error);
      } else {
        waiter.resolve({ room: name, replica: this.#replica, members: room.members });
      }
    }
  }

  /** A new replica (a Join result, STOMP's CONNECTED) is told with the current state. */
  #setReplica(replica) {
    if (replica && replica !== this.#replica) {
      this.#replica = replica;
      this.#events.emit("state", { state: this.#state, replica, reason: undefined });
    }
  }

  #setState(state, reason) {
    if (state === this.#state && reason === undefined) {
      return;
    }

    this.#state = state;
    this.#events.emit("state", { state, replica: this.#replica, reason });
  }

  /** An attempt that neither connects nor fails (a handshake left hanging) is given up after connectTimeoutMs. */
  async #withTimeout(opening, abandon) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        void abandon();
        reject(new ChatError(`No connection within ${this.#options.connectTimeoutMs} ms`, "disconnected"));
      }, this.#options.connectTimeoutMs);
    });
    opening.catch(() => {}); // the attempt's own failure after a time-out is of no interest
    try {
      return await Promise.race([opening, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits, unless stop() comes first. */
  #wait(ms) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waits.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waits.add(done);
    });
  }
}

/** 18 random bytes, base64url: the form the server accepts as a reconnection secret. */
function newSecret() {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_");
}
