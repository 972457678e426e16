/**
 * A chat failure. `reason` is what the server said (a refused name, room or message, the store being unavailable)
 * or what happened to the connection; `kind` tells which:
 * - "refused": the server refused the call (its words are in `reason`);
 * - "disconnected": no connection, or it ended before the server answered (the call may or may not have run);
 * - "stopped": the client was stopped;
 * - "invalid": the client refused the input before sending it.
 */
export class ChatError extends Error {
  constructor(reason, kind, { room, cause } = {}) {
    super(reason, cause === undefined ? undefined : { cause });
    this.name = "ChatError";
    this.reason = reason;
    this.kind = kind;
    this.room = room;
  }
}

/** Room names of the contract: 1-64 of A-Z a-z 0-9 - _ (the server decides the length; the characters keep STOMP destinations intact). */
export const ROOM_NAME = /^[A-Za-z0-9_-]+$/;
