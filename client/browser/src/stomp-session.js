import { Client } from "@stomp/stompjs";
import { ChatError } from "./chat-error.js";

const SERVICE_RESTART = 1012;
const TOKEN_REFRESH = "/app/token.refresh"; // the server's in-band refresh (ChatStompProtocol.TokenRefreshDestination)

const topicOf = (room) => (room === "public" ? "/topic/public" : `/topic/room/${room}`);
const appOf = (room) => (room === "public" ? "/app" : `/app/room/${room}`);

/**
 * One STOMP 1.2 connection to /ws (@stomp/stompjs over a plain WebSocket, a new one for every attempt: the client
 * does its own reconnecting). Every frame that can be refused carries a receipt, so a refusal (ERROR with
 * `receipt-id`, then the server closes) rejects the call that caused it with the server's `message`.
 * `closed` resolves once, when the socket closes: moved on close code 1012.
 */
export function openStompSession({ baseUrl, WebSocket, accessToken, identity }, sink) {
  const url = new URL("ws", baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const Socket = WebSocket ?? globalThis.WebSocket;
  const pending = new Map(); // receipt id -> { resolve, reject, room }
  const subscriptions = new Map(); // room -> StompSubscription
  let receipts = 0;
  let token = null; // the last token presented: its expiry tells when to refresh
  let serverError = null;
  let connected = false;
  let opened;
  let resolveClosed;
  const closed = new Promise((resolve) => (resolveClosed = resolve));

  const client = new Client({
    webSocketFactory: () => new Socket(url.href, client.stompVersions.protocolVersions()),
    reconnectDelay: 0,
    debug: () => {},
  });
  // The server closes after its ERROR and runs nothing sent after it: refuse new calls now, close without waiting.
  client.onStompError = (frame) => {
    serverError = frame.headers.message ?? "The chat server refused a frame";
    connected = false;
    client.forceDisconnect();
    const call = pending.get(frame.headers["receipt-id"]);
    if (call) {
      pending.delete(frame.headers["receipt-id"]);
      call.reject(new ChatError(serverError, "refused", { room: call.room }));
    } else {
      sink.error(new ChatError(serverError, "refused"));
    }
  };
  client.onWebSocketClose = (event) => {
    const reason = serverError ?? (event.reason || `connection closed (${event.code})`);
    for (const call of pending.values()) {
      call.reject(new ChatError(reason, serverError ? "refused" : "disconnected", { room: call.room }));
    }

    pending.clear();
    if (!connected) {
      opened?.reject(new ChatError(reason, serverError ? "refused" : "disconnected"));
    }

    connected = false;

    void client.deactivate();
    resolveClosed({ moved: event.code === SERVICE_RESTART, reason });
  };

  /** SEND (or SUBSCRIBE) with a receipt: resolves on the RECEIPT, rejects with the server's ERROR or on close. */
  const withReceipt = (room, frame) =>
    new Promise((resolve, reject) => {
      if (!connected) {
        reject(new ChatError("Not connected to the chat server", "disconnected", { room }));
        return;
      }

      const receipt = `r-${++receipts}`;
      pending.set(receipt, { resolve, reject, room });
      client.watchForReceipt(receipt, () => {
        pending.delete(receipt);
        resolve();
      });
      frame(receipt);
    });

  const sendJson = (room, destination, body) =>
    withReceipt(room, (receipt) =>
      client.publish({ destination, body: JSON.stringify(body), headers: { receipt, "content-type": "application/json" } }));

  return {
    async open() {
      token = accessToken ? await accessToken() : null;
      client.connectHeaders = {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(identity.secret ? { "x-reconnect-secret": identity.secret } : {}),
      };
      return new Promise((resolve, reject) => {
        opened = { reject };
        client.onConnect = (frame) => {
          connected = true;
          identity.secret = frame.headers["x-reconnect-secret"] ?? identity.secret;
          resolve({ replica: frame.headers["x-replica"] ?? null });
        };
        client.activate();
      });
    },
    closed,
    get token() {
      return token;
    },
    /** Presents a new token of the same user (Jwt servers); a refusal is an ERROR and the server closes. */
    async refreshToken(next) {
      await withReceipt(null, (receipt) => client.publish({ destination: TOKEN_REFRESH, headers: { receipt, Authorization: `Bearer ${next}` } }));
      token = next;
    },
    /**
     * SUBSCRIBE (from `since` when given) and announce the user (chat.addUser); what arrives until the announcement's
     * RECEIPT is the join's history, the rest is live.
     */
    async join(room, user, since) {
      subscriptions.get(room)?.unsubscribe();
      const history = [];
      let live = false;
      const headers = since ? { "x-epoch": since.epoch, "x-since-offset": String(since.offset) } : {};
      await withReceipt(room, (receipt) => {
        const onFrame = (frame) => {
          const message = toMessage(frame);
          if (live) {
            sink.message(message);
          } else {
            history.push(message);
          }
        };
        subscriptions.set(room, client.subscribe(topicOf(room), onFrame, { ...headers, receipt }));
      });
      await sendJson(room, `${appOf(room)}/chat.addUser`, { sender: user, type: "JOIN" });
      live = true;
      return { history };
    },
    async send(room, content, user) {
      await sendJson(room, `${appOf(room)}/chat.sendMessage`, { sender: user, content, type: "CHAT" });
      return undefined;
    },
    async leave(room) {
      const subscription = subscriptions.get(room);
      subscriptions.delete(room);
      if (subscription && connected) {
        subscription.unsubscribe();
      }
    },
    close: () => client.deactivate(),
  };
}

/** The body is the message JSON; x-offset and x-epoch are the contract's headers for where it is. */
function toMessage(frame) {
  const message = JSON.parse(frame.body);
  message.offset = Number(frame.headers["x-offset"] ?? message.offset);
  message.epoch = frame.headers["x-epoch"] ?? message.epoch;
  return message;
}
