// Clients of the module kept chatting while the servers behind them move them: run by Chat.Server.Tests, which
// starts two replicas on one Redis behind the gateway, waits for "ready", then drains (SIGTERM) or kills a replica
// and starts it again, round after round, waiting for "all connected" between rounds.
// Usage: node test/moved-clients.mjs <gateway url> [moves per client, default 2]
// Two senders (SignalR, STOMP) send all along; four members (the senders and a receiver per protocol) must each get
// every offset exactly once, in order, with every confirmed send among them, each after at least `moves` reconnects
// and on both replicas. Prints "moved-clients: all checks passed" and exits 0, or "FAIL …" and exits 1.
import { collect, openClient, waitFor } from "./support.mjs";

const [url, movesArgument] = process.argv.slice(2);
const moves = Number(movesArgument ?? 2);
const room = `moved-${process.pid}`;
const retry = { baseMs: 200, maxMs: 2_000 };
const deadline = setTimeout(() => fail("timed out"), 240_000);
const fail = (why) => {
  console.log(`FAIL ${why}`);
  process.exit(1);
};

const members = [];
for (const [name, protocol] of [["sender-signalr", "signalr"], ["sender-stomp", "stomp"], ["receiver-signalr", "signalr"], ["receiver-stomp", "stomp"]]) {
  const client = await openClient({ user: `${name}-${process.pid}`, protocol, url, retry });
  const member = { name, client, messages: collect(client, room), ends: 0, replicas: new Set(), connected: true };
  client.on("state", ({ state, replica, reason }) => {
    if (replica && state === "connected") {
      member.replicas.add(replica);
    }

    if (state === "reconnecting" && member.connected) {
      member.ends++;
      console.log(`moved ${name} ${member.ends} (${reason ?? "dropped"})`);
    }

    member.connected = state === "connected";
    if (state === "connected" && members.length === 4 && members.every((m) => m.connected)) {
      report();
    }
  });
  await client.join(room);
  member.replicas.add(client.replica);
  members.push(member);
}

/** "all connected: a=2 b=2 (…)": where the clients are, for the test to pick the replica to stop next. */
function report() {
  const on = {};
  for (const { client } of members) {
    on[client.replica] = (on[client.replica] ?? 0) + 1;
  }

  const where = Object.entries(on).map(([replica, count]) => `${replica}=${count}`).join(" ");
  console.log(`all connected: ${where} (each moved ${Math.min(...members.map((m) => m.ends))} times at least)`);
}

console.log(`ready: ${members.map((m) => `${m.name}@${m.client.replica}`).join(" ")}`);
report();

// Each sender sends its next message until it is confirmed (a send whose answer was lost may be stored twice: a
// new offset, so no check below depends on contents being unique).
const confirmed = { offsets: [], contents: [] };
let sending = true;
const senders = members.slice(0, 2).map(async ({ name, client }) => {
  for (let i = 1; sending; i++) {
    const content = `${name} ${i}`;
    for (;;) {
      try {
        const offset = await client.send(room, content);
        confirmed.contents.push(content);
        if (offset !== undefined) {
          confirmed.offsets.push(offset);
        }

        break;
      } catch {
        await waitFor(() => client.state === "connected", `${name} connected again`, 60_000);
      }
    }

    await new Promise((resolve) => setTimeout(resolve, 40));
  }
});

await waitFor(() => members.every((m) => m.ends >= moves && m.connected), `every client moved ${moves} times`, 200_000);
await new Promise((resolve) => setTimeout(resolve, 500)); // a few more sends on the settled connections
sending = false;
await Promise.all(senders);

const lastConfirmed = Math.max(...confirmed.offsets);
await waitFor(
  () => members.every((m) => m.messages.at(-1)?.offset >= lastConfirmed && m.messages.filter((x) => x.type === "CHAT").length >= confirmed.contents.length),
  "every member got the last confirmed message");

const problems = [];
for (const { name, messages, ends, replicas } of members) {
  const offsets = messages.map((m) => m.offset);
  const epochs = new Set(messages.map((m) => m.epoch));
  const gaps = offsets.filter((offset, i) => i > 0 && offset !== offsets[i - 1] + 1);
  if (gaps.length > 0 || epochs.size !== 1) {
    problems.push(`${name}: offsets not consecutive once each in one epoch (${gaps.length} breaks, first at ${gaps[0]}; epochs ${[...epochs]})`);
  }

  const got = new Set(offsets);
  const missing = confirmed.offsets.filter((offset) => offset >= offsets[0] && !got.has(offset));
  if (missing.length > 0) {
    problems.push(`${name}: ${missing.length} confirmed offsets missing, first ${missing[0]}`);
  }

  const contents = new Set(messages.map((m) => m.content));
  const lost = confirmed.contents.filter((content) => !contents.has(content));
  if (lost.length > 0) {
    problems.push(`${name}: ${lost.length} confirmed messages missing, first '${lost[0]}'`);
  }

  if (replicas.size < 2) {
    problems.push(`${name}: never on another replica (${[...replicas]})`);
  }

  console.log(`${name}: ${messages.length} messages, offsets ${offsets[0]}..${offsets.at(-1)}, ${ends} reconnects, replicas ${[...replicas].sort().join(",")}`);
}

console.log(`sent: ${confirmed.contents.length} confirmed (${confirmed.offsets.length} with offsets)`);
await Promise.all(members.map((m) => m.client.stop()));
clearTimeout(deadline);
if (problems.length > 0) {
  fail(problems.join("; "));
}

console.log("moved-clients: all checks passed");
