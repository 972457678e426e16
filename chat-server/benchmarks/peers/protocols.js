// One member connection per system, all behind the same small interface, so that the driver treats them alike:
//   const m = await connect(url, onMessage); await m.join(room, user); m.send(room, content); await m.close();
// onMessage gets each room message object ({type, sender, content, ...}). Sends are fire-and-forget in all three.
const signalR = require("@microsoft/signalr");
const { Client } = require("@stomp/stompjs");
const WebSocket = require("ws");
const { io } = require("socket.io-client");

async function signalr(url, onMessage) {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${url}/hub/chat`, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
    .configureLogging(signalR.LogLevel.None)
    .build();
  connection.serverTimeoutInMilliseconds = 120_000;
  connection.on("message", onMessage);
  connection.on("presence", () => {});
  connection.on("reconnect", () => {});
  await connection.start();
  return {
    join: (room, user) => connection.invoke("Join", room, user),
    send: (room, content) => connection.send("Send", room, content),
    close: () => connection.stop(),
  };
}

async function stomp(url, onMessage) {
  const client = new Client({
    webSocketFactory: () => new WebSocket(`${url.replace(/^http/, "ws")}/ws`, ["v12.stomp", "v11.stomp", "v10.stomp"]),
    reconnectDelay: 0,
    heartbeatIncoming: 10_000,
    heartbeatOutgoing: 10_000,
    debug: () => {},
  });
  await new Promise((resolve, reject) => {
    client.onConnect = resolve;
    client.onStompError = (frame) => reject(new Error(`STOMP ERROR: ${frame.headers.message}`));
    client.onWebSocketError = () => reject(new Error("STOMP WebSocket error"));
    client.activate();
  });
  let receipts = 0;
  return {
    join: (room, user) => {
      client.subscribe(`/topic/room/${room}`, (frame) => onMessage(JSON.parse(frame.body)));
      // Frames are handled in order: the addUser receipt means the subscription is in place too.
      const receipt = `join-${++receipts}`;
      const joined = new Promise((resolve) => client.watchForReceipt(receipt, resolve));
      client.publish({ destination: `/app/room/${room}/chat.addUser`, headers: { receipt }, body: JSON.stringify({ sender: user, type: "JOIN" }) });
      return joined;
    },
    send: (room, content) => client.publish({ destination: `/app/room/${room}/chat.sendMessage`, body: JSON.stringify({ content, type: "CHAT" }) }),
    close: () => client.deactivate(),
  };
}

async function socketio(url, onMessage) {
  const socket = io(url, { transports: ["websocket"], reconnection: false, forceNew: true });
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  socket.on("message", onMessage);
  return {
    join: (room, user) => socket.emitWithAck("join", room, user),
    send: (room, content) => socket.emit("send", room, content),
    close: () => socket.close(),
  };
}

module.exports = { signalr, stomp, socketio };
