// The peer of the fan-out benchmark: a socket.io 4.8 server with @socket.io/redis-adapter, shaped like the chat
// server's room path: `join(room, user)` joins a room, `send(room, content)` broadcasts a message object with the
// chat server's field names to every member on every server process (through Redis pub/sub).
// usage: node socketio-server.js <port> <redis-port>
const { createServer } = require("node:http");
const { Server } = require("socket.io");
const { createAdapter } = require("@socket.io/redis-adapter");
const { createClient } = require("redis");

const [port, redisPort] = process.argv.slice(2).map(Number);

async function main() {
  const pub = createClient({ url: `redis://127.0.0.1:${redisPort}` });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const http = createServer((req, res) => {
    res.writeHead(req.url === "/healthz" ? 200 : 404).end();
  });
  const io = new Server(http, { transports: ["websocket"], adapter: createAdapter(pub, sub) });
  io.on("connection", (socket) => {
    socket.on("join", (room, user, ack) => {
      socket.data.user = user;
      socket.join(room);
      if (typeof ack === "function") ack({ room });
    });
    socket.on("send", (room, content) => {
      io.to(room).emit("message", { type: "CHAT", sender: socket.data.user, content, room, sentAt: new Date().toISOString() });
    });
  });
  http.listen(port, "127.0.0.1");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
