// Conformance run of a STOMP server with @stomp/stompjs (its defaults, over `ws`), the way the Spring chat demo
// uses it: connect through the subprotocol, subscribe, send, receive, heart-beats, receipts, clean disconnect.
// Usage: node conformance.mjs ws://127.0.0.1:5000/ws   — prints one line per check, exits 0 when all passed.
import { Client } from '@stomp/stompjs';
import WebSocket from 'ws';

Object.assign(globalThis, { WebSocket });

const brokerURL = process.argv[2];
const room = `conformance-${process.pid}`;
const failures = [];
const check = (name, ok, detail = '') => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
  if (!ok) failures.push(name);
};
const timeout = setTimeout(() => { console.log('FAIL timed out'); process.exit(1); }, 30_000);
const delay = ms => new Promise(resolve => setTimeout(resolve, ms));

function connect(name) {
  const log = { pongs: 0, pings: 0, errors: [] };
  const client = new Client({
    brokerURL,
    reconnectDelay: 0,
    heartbeatIncoming: 200,
    heartbeatOutgoing: 200,
    debug: line => {
      if (line.includes('<<< PONG')) log.pongs++;
      if (line.includes('>>> PING')) log.pings++;
    },
  });
  client.onStompError = frame => log.errors.push(frame.headers.message);
  const connected = new Promise((resolve, reject) => {
    client.onConnect = frame => resolve(frame);
    client.onWebSocketClose = event => reject(new Error(`${name}: closed before CONNECTED (${event.code})`));
  });
  client.activate();
  return { client, log, connected };
}

function nextMessage(messages, predicate, ms = 5000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const found = messages.find(predicate);
      if (found) return resolve(found);
      if (Date.now() - started > ms) return reject(new Error('message not received'));
      setTimeout(poll, 20);
    };
    poll();
  });
}

function receipt(client, id) {
  return new Promise(resolve => client.watchForReceipt(id, frame => resolve(frame)));
}

try {
  const alice = connect('alice');
  const connectedFrame = await alice.connected;
  check('connects through the v12.stomp subprotocol', alice.client.webSocket.protocol === 'v12.stomp', alice.client.webSocket.protocol);
  check('CONNECTED negotiates STOMP 1.2', connectedFrame.headers.version === '1.2', connectedFrame.headers.version);
  check('CONNECTED offers heart-beats', /^\d+,\d+$/.test(connectedFrame.headers['heart-beat'] ?? ''), connectedFrame.headers['heart-beat']);

  const aliceMessages = [];
  const destination = `/topic/room/${room}`;
  alice.client.subscribe(destination, message => aliceMessages.push(message), { receipt: 'sub-alice' });
  await receipt(alice.client, 'sub-alice');
  check('SUBSCRIBE with receipt gets RECEIPT', true);

  const joined = receipt(alice.client, 'join-alice');
  alice.client.publish({ destination: `/app/room/${room}/chat.addUser`, body: JSON.stringify({ sender: 'alice', type: 'JOIN' }), headers: { receipt: 'join-alice' } });
  await joined;
  const aliceJoin = await nextMessage(aliceMessages, m => JSON.parse(m.body).type === 'JOIN');
  check('SEND to chat.addUser publishes JOIN', JSON.parse(aliceJoin.body).sender === 'alice');

  const bob = connect('bob');
  await bob.connected;
  const bobMessages = [];
  bob.client.subscribe(destination, message => bobMessages.push(message));
  bob.client.publish({ destination: `/app/room/${room}/chat.addUser`, body: JSON.stringify({ sender: 'bob', type: 'JOIN' }) });
  bob.client.publish({ destination: `/app/room/${room}/chat.sendMessage`, body: JSON.stringify({ sender: 'bob', content: 'hello from stompjs', type: 'CHAT' }) });

  const chat = await nextMessage(aliceMessages, m => JSON.parse(m.body).type === 'CHAT');
  const body = JSON.parse(chat.body);
  check('MESSAGE reaches the other subscriber', body.sender === 'bob' && body.content === 'hello from stompjs');
  check('MESSAGE carries destination, subscription and message-id', chat.headers.destination === destination && !!chat.headers.subscription && !!chat.headers['message-id']);
  check('MESSAGE carries x-offset and x-epoch', chat.headers['x-offset'] === String(body.offset) && chat.headers['x-epoch'] === body.epoch);
  const atBob = await nextMessage(bobMessages, m => JSON.parse(m.body).type === 'CHAT');
  check('both subscribers see the same offset', atBob.headers['x-offset'] === chat.headers['x-offset']);

  const pongsBefore = alice.log.pongs;
  await delay(1500);
  check('server heart-beats arrive', alice.log.pongs > pongsBefore, `${alice.log.pongs - pongsBefore} in 1.5 s`);
  check('client heart-beats are accepted (still connected)', alice.client.connected && alice.log.pings > 0, `${alice.log.pings} sent`);

  const disconnected = new Promise(resolve => { alice.client.onDisconnect = frame => resolve(frame); });
  await alice.client.deactivate();
  const disconnectReceipt = await Promise.race([disconnected, delay(3000).then(() => null)]);
  check('DISCONNECT is confirmed by its RECEIPT', disconnectReceipt !== null);

  const leave = await nextMessage(bobMessages, m => JSON.parse(m.body).type === 'LEAVE');
  check('LEAVE follows when the user is gone', JSON.parse(leave.body).sender === 'alice');
  await bob.client.deactivate();
  check('no ERROR frames', alice.log.errors.length === 0 && bob.log.errors.length === 0, [...alice.log.errors, ...bob.log.errors].join('; '));
} catch (error) {
  check('run', false, error.message);
}

clearTimeout(timeout);
console.log(failures.length === 0 ? 'conformance: all checks passed' : `conformance: ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
