'use strict';

// The Spring chat demo's client on @stomp/stompjs over a plain WebSocket (as the current Spring guide does):
// subscribe to /topic/public, announce with /app/chat.addUser, chat with /app/chat.sendMessage.
// ?room=name uses /topic/room/name and /app/room/name/... instead. After a reconnect (for example a 1012 close
// when the server rebalances) it resubscribes from the last x-epoch/x-offset it saw: nothing lost, nothing twice.

const usernamePage = document.querySelector('#username-page');
const chatPage = document.querySelector('#chat-page');
const usernameForm = document.querySelector('#usernameForm');
const messageForm = document.querySelector('#messageForm');
const messageInput = document.querySelector('#message');
const messageArea = document.querySelector('#messageArea');
const connectingElement = document.querySelector('.connecting');

const room = new URLSearchParams(location.search).get('room') || 'public';
const topic = room === 'public' ? '/topic/public' : `/topic/room/${room}`;
const app = room === 'public' ? '/app' : `/app/room/${room}`;
const colors = ['#2196F3', '#32c787', '#00BCD4', '#ff5652', '#ffc107', '#ff85af', '#FF9800', '#39bbb0'];

let stompClient = null;
let username = null;
let position = null; // { epoch, offset } of the last message shown

function connect(event) {
  event.preventDefault();
  username = document.querySelector('#name').value.trim();
  if (!username) {
    return;
  }

  usernamePage.classList.add('hidden');
  chatPage.classList.remove('hidden');
  if (room !== 'public') {
    document.querySelector('#room-title').textContent = `Room ${room}`;
  }

  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  stompClient = new StompJs.Client({ brokerURL: `${scheme}://${location.host}/ws`, reconnectDelay: 1000 });
  stompClient.onConnect = onConnected;
  stompClient.onStompError = onError;
  stompClient.onWebSocketClose = () => showConnecting('Reconnecting...');
  stompClient.activate();
}

function onConnected(frame) {
  // The name's reconnection secret: presented on the next CONNECT, so that a reconnect keeps the name.
  const secret = frame.headers['x-reconnect-secret'];
  if (secret) {
    stompClient.connectHeaders = { 'x-reconnect-secret': secret };
  }
  const resume = position ? { 'x-epoch': position.epoch, 'x-since-offset': String(position.offset) } : {};
  stompClient.subscribe(topic, onMessageReceived, resume);
  stompClient.publish({ destination: `${app}/chat.addUser`, body: JSON.stringify({ sender: username, type: 'JOIN' }) });
  connectingElement.classList.add('hidden');
}

function onError(frame) {
  showConnecting(frame.headers.message || 'Could not connect to the chat server. Please refresh this page to try again!');
  connectingElement.style.color = 'red';
}

function showConnecting(text) {
  connectingElement.textContent = text;
  connectingElement.classList.remove('hidden');
}

function sendMessage(event) {
  event.preventDefault();
  const content = messageInput.value.trim();
  if (content && stompClient && stompClient.connected) {
    stompClient.publish({ destination: `${app}/chat.sendMessage`, body: JSON.stringify({ sender: username, content, type: 'CHAT' }) });
    messageInput.value = '';
  }
}

function onMessageReceived(payload) {
  const message = JSON.parse(payload.body);
  const offset = Number(payload.headers['x-offset']);
  const epoch = payload.headers['x-epoch'];
  if (position && position.epoch === epoch && offset <= position.offset) {
    return; // already shown
  }
  position = { epoch, offset };

  const messageElement = document.createElement('li');
  messageElement.dataset.offset = String(offset);
  if (message.type === 'JOIN' || message.type === 'LEAVE') {
    messageElement.classList.add('event-message');
    messageElement.textContent = `${message.sender} ${message.type === 'JOIN' ? 'joined!' : 'left!'}`;
  } else {
    messageElement.classList.add('chat-message');
    const avatarElement = document.createElement('i');
    avatarElement.textContent = message.sender[0];
    avatarElement.style.backgroundColor = getAvatarColor(message.sender);
    const usernameElement = document.createElement('span');
    usernameElement.textContent = message.sender;
    const textElement = document.createElement('p');
    textElement.textContent = message.content;
    messageElement.append(avatarElement, usernameElement, textElement);
  }

  messageArea.appendChild(messageElement);
  messageArea.scrollTop = messageArea.scrollHeight;
}

function getAvatarColor(sender) {
  let hash = 0;
  for (let i = 0; i < sender.length; i++) {
    hash = 31 * hash + sender.charCodeAt(i);
  }
  return colors[Math.abs(hash % colors.length)];
}

usernameForm.addEventListener('submit', connect, true);
messageForm.addEventListener('submit', sendMessage, true);
