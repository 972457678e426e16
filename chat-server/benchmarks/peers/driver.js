// The benchmark's client process: drives one system (signalr | stomp | socketio) through protocols.js, told what to
// do by ../measure.cs one command per line on stdin, answering one JSON line per command on stdout.
//   members <room> <count> [rooms]  connect <count> members round-robin over the URLs, join them (member i to room
//                                   <room>-<i % rooms>), wait for quiet
//   run <messages> <rate>           up to 10 members of each room send <messages> round-robin over the rooms (rate per
//                                   second, 0 = all at once); waits for every delivery; answers deliveries,
//                                   duplicates, missing, elapsed and latency percentiles
//   connect <count>                 open <count> idle connections (no room)
//   close                           close everything and exit
// usage: node driver.js <system> <url>[,<url>...]
const readline = require("node:readline");
const { performance } = require("node:perf_hooks");
const protocols = require("./protocols");

const [system, urlList] = process.argv.slice(2);
const connect = protocols[system];
if (!connect) throw new Error(`unknown system '${system}': signalr | stomp | socketio`);
const urls = urlList.split(",");
const connections = [];
let members = [];
let rooms = [];
let lastEventAt = performance.now();
let run = null;
let runs = 0;

const reply = (value) => process.stdout.write(JSON.stringify(value) + "\n");
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Opens connections `concurrency` at a time; each gets its index for the URL and the message handler.
async function open(count, concurrency, onOpened) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const member = await connect(urls[index % urls.length], (message) => onMessage(index, message));
      connections.push(member);
      await onOpened(index, member);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function onMessage(member, message) {
  lastEventAt = performance.now();
  if (!run || message.type !== "CHAT") return;
  const [id, seq, sentAt] = String(message.content).split("|");
  if (Number(id) !== run.id) return;
  const slot = member * run.messages + Number(seq);
  if (run.seen[slot]) {
    run.duplicates++;
    return;
  }
  run.seen[slot] = 1;
  run.latencies[run.delivered++] = performance.now() - Number(sentAt);
  run.lastAt = performance.now();
  if (run.delivered === run.expected) run.done();
}

async function joinMembers(name, count, roomCount) {
  rooms = Array.from({ length: roomCount }, (_, r) => ({ name: `${name}-${r}`, members: 0, senders: [] }));
  members = new Array(count);
  await open(count, 20, async (index, member) => {
    const room = rooms[index % roomCount];
    room.members++;
    await member.join(room.name, `m${index}`);
    if (room.senders.length < 10) room.senders.push(member);
    members[index] = member;
  });
  // Presence (JOIN) traffic of the joins settles before anything is measured.
  const until = performance.now() + 20_000;
  while (performance.now() - lastEventAt < 1000 && performance.now() < until) await delay(100);
  reply({ event: "ready", members: count });
}

async function send(messages, rate) {
  let expected = 0;
  for (let seq = 0; seq < messages; seq++) expected += rooms[seq % rooms.length].members;
  run = { id: ++runs, messages, expected, delivered: 0, duplicates: 0, seen: new Uint8Array(members.length * messages), latencies: new Float64Array(expected), lastAt: 0 };
  const finished = new Promise((resolve) => (run.done = resolve));
  const start = performance.now();
  let sent = 0;
  const sendDue = (due) => {
    for (; sent < due; sent++) {
      const room = rooms[sent % rooms.length];
      room.senders[Math.floor(sent / rooms.length) % room.senders.length].send(room.name, `${run.id}|${sent}|${performance.now()}`);
    }
  };
  if (rate <= 0) {
    sendDue(messages);
  } else {
    while (sent < messages) {
      sendDue(Math.min(messages, Math.floor(((performance.now() - start) * rate) / 1000) + 1));
      await delay(1);
    }
  }
  const sentMs = performance.now() - start;
  // Bounded wait: ends when everything arrived, or after 15 s without a new delivery.
  for (let last = -1; run.delivered < expected; ) {
    if (run.delivered === last) break;
    last = run.delivered;
    await Promise.race([finished, delay(15_000)]);
  }
  const elapsedMs = (run.delivered === expected ? run.lastAt : performance.now()) - start;
  const sorted = run.latencies.subarray(0, run.delivered).sort();
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null);
  reply({
    event: "run", messages, rate, sentMs, elapsedMs, expected, delivered: run.delivered,
    missing: expected - run.delivered, duplicates: run.duplicates,
    p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.length ? sorted[sorted.length - 1] : null,
  });
  run = null;
}

async function openIdle(count) {
  await open(count, 64, async () => {});
  reply({ event: "connected", count: connections.length });
}

async function close() {
  await Promise.allSettled(connections.map((c) => c.close()));
  reply({ event: "closed" });
  process.exit(0);
}

const commands = { members: (r, n, k) => joinMembers(r, Number(n), Number(k || 1)), run: (m, r) => send(Number(m), Number(r)), connect: (n) => openIdle(Number(n)), close };
let queue = Promise.resolve();
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const [name, ...args] = line.trim().split(/\s+/);
  queue = queue.then(() => commands[name](...args)).catch((error) => {
    reply({ event: "error", message: String(error && error.stack || error) });
  });
});
process.stdin.on("end", () => queue.then(close));
