import { HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { ChatError } from "./chat-error.js";

const HUB_EXCEPTION = "HubException: ";
const SERVER_ERROR = "error occurred invoking";

/**
 * One SignalR connection to /hub/chat (a new one for every attempt: the client does its own reconnecting).
 * `closed` resolves once, when the connection ends: moved when the server sent `reconnect` first.
 */
export function openSignalRSession({ baseUrl, WebSocket, accessToken, identity }, sink) {
  const options = WebSocket ? { WebSocket } : {};
  let token = null; // the last token this connection got: its expiry tells when to refresh
  if (accessToken) {
    options.accessTokenFactory = async () => (token = await accessToken());
  }

  const connection = new HubConnectionBuilder()
    .withUrl(new URL("hub/chat", baseUrl).href, options)
    .configureLogging(LogLevel.None)
    .build();
  let moveReason = null;
  connection.on("message", (message) => sink.message(message));
  connection.on("presence", (update) => sink.presence(update));
  // The server moves this connection (rebalancing, drain): it closes next; we go first and connect again.
  connection.on("reconnect", (request) => {
    moveReason = request?.reason ?? "moved";
    void connection.stop();
  });
  const closed = new Promise((resolve) => {
    connection.onclose((error) => resolve({ moved: moveReason !== null, reason: moveReason ?? error?.message }));
  });

  const invoke = async (method, room, ...args) => {
    if (connection.state !== HubConnectionState.Connected) {
      throw new ChatError("Not connected to the chat server", "disconnected", { room });
    }

    try {
      return await connection.invoke(method, room, ...args);
    } catch (e) {
      throw toChatError(e, room);
    }
  };

  return {
    async open() {
      await connection.start();
      return { replica: null };
    },
    closed,
    async join(room, user, since) {
      const joined = await invoke("Join", room, user, since, identity.secret);
      if (joined.reconnectSecret) {
        identity.secret = joined.reconnectSecret; // presented on the next connection: the name stays this client's
      }

      return {
        history: joined.history,
        position: { epoch: joined.epoch, offset: joined.offset },
        members: joined.members,
        replica: joined.replica,
      };
    },
    get token() {
      return token;
    },
    /** Presents a new token of the same user (Jwt servers); a refusal rejects with the server's reason. */
    async refreshToken(next) {
      try {
        await connection.invoke("RefreshToken", next);
        token = next;
      } catch (e) {
        throw toChatError(e);
      }
    },
    send: (room, content) => invoke("Send", room, content),
    leave: (room) => invoke("Leave", room),
    close: () => connection.stop(),
  };
}

/**
 * The server's words from a HubException ("… HubException: <reason>"); another failure the server reported is
 * "refused" too; anything else (the connection ended before the answer) is "disconnected".
 */
function toChatError(error, room) {
  const text = String(error?.message ?? error);
  const at = text.indexOf(HUB_EXCEPTION);
  if (at >= 0) {
    return new ChatError(text.slice(at + HUB_EXCEPTION.length), "refused", { room, cause: error });
  }

  const kind = text.includes(SERVER_ERROR) ? "refused" : "disconnected";
  return new ChatError(text, kind, { room, cause: error });
}
