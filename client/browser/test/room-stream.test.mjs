// The ordering core of the module, without a server: each (epoch, offset) once, in order, whatever arrives.
import assert from "node:assert/strict";
import { test } from "node:test";
import { RoomStream } from "../src/room-stream.js";

const m = (offset, epoch = "e1") => ({ type: "CHAT", sender: "s", content: `m${offset}`, room: "r", offset, epoch });

function stream() {
  const delivered = [];
  const resets = [];
  const s = new RoomStream((message) => delivered.push(`${message.epoch}:${message.offset}`), (epoch) => resets.push(epoch));
  return { s, delivered, resets };
}

test("a first join delivers its history and live messages after its offset, each once", () => {
  const { s, delivered } = stream();
  s.beginSync();
  assert.equal(s.live(m(4)), "buffered"); // an event before the Join result
  assert.equal(s.endSync([m(2), m(3)], { epoch: "e1", offset: 3 }), "synced");
  assert.equal(s.live(m(4)), "duplicate");
  assert.equal(s.live(m(5)), "delivered");
  assert.deepEqual(delivered, ["e1:2", "e1:3", "e1:4", "e1:5"]);
  assert.deepEqual(s.since, { epoch: "e1", offset: 5 });
});

test("a re-join from since skips what the history repeats and buffered messages it covers", () => {
  const { s, delivered } = stream();
  s.beginSync();
  s.endSync([m(1), m(2)], { epoch: "e1", offset: 2 });
  s.beginSync();
  s.live(m(3));
  s.live(m(5));
  s.live(m(4));
  assert.equal(s.endSync([m(2), m(3)], { epoch: "e1", offset: 3 }), "synced");
  assert.deepEqual(delivered, ["e1:1", "e1:2", "e1:3", "e1:4", "e1:5"]);
});

test("a gap in the live stream asks for a re-join, which fills it", () => {
  const { s, delivered } = stream();
  s.beginSync();
  s.endSync([], { epoch: "e1", offset: 0 });
  assert.equal(s.live(m(1)), "delivered");
  assert.equal(s.live(m(3)), "resync");
  s.beginSync();
  assert.equal(s.endSync([m(2), m(3)], { epoch: "e1", offset: 3 }), "synced");
  assert.deepEqual(delivered, ["e1:1", "e1:2", "e1:3"]);
});

test("a new epoch restarts the stream once and is told as a reset", () => {
  const { s, delivered, resets } = stream();
  s.beginSync();
  s.endSync([m(7)], { epoch: "e1", offset: 7 });
  assert.equal(s.live(m(1, "e2")), "resync");
  s.beginSync();
  s.live(m(3, "e2"));
  s.endSync([m(1, "e2"), m(2, "e2")], { epoch: "e2", offset: 2 });
  assert.deepEqual(delivered, ["e1:7", "e2:1", "e2:2", "e2:3"]);
  assert.deepEqual(resets, ["e2"]);
});

test("STOMP's join has no position: the history carries it, and an empty room starts with the first live message", () => {
  const { s, delivered } = stream();
  s.beginSync();
  assert.equal(s.endSync([]), "synced");
  assert.equal(s.since, null);
  assert.equal(s.live(m(1)), "delivered");
  s.beginSync();
  assert.equal(s.endSync([m(2), m(3)]), "synced");
  assert.equal(s.live(m(3)), "duplicate");
  assert.deepEqual(delivered, ["e1:1", "e1:2", "e1:3"]);
});

test("a gap the server never fills is passed after a few re-joins instead of looping", () => {
  const { s, delivered } = stream();
  s.beginSync();
  s.endSync([m(1)], { epoch: "e1", offset: 1 });
  let outcome;
  for (let i = 0; i <= RoomStream.MaxResyncs; i++) {
    s.beginSync();
    s.live(m(3));
    outcome = s.endSync([], { epoch: "e1", offset: 1 });
  }

  assert.equal(outcome, "synced");
  assert.deepEqual(delivered, ["e1:1", "e1:3"]);
});

test("an aborted join starts over: nothing buffered is delivered", () => {
  const { s, delivered } = stream();
  s.beginSync();
  s.endSync([m(1)], { epoch: "e1", offset: 1 });
  s.beginSync();
  s.live(m(2));
  s.abortSync();
  s.beginSync();
  s.endSync([m(2)], { epoch: "e1", offset: 2 });
  assert.deepEqual(delivered, ["e1:1", "e1:2"]);
});
