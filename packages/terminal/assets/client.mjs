// Browser client of the ttyd (>= 1.7) protocol, served by volundr-terminal at <base>/assets/.
// It follows ttyd's own client (html/src/components/terminal/xterm) so the same page logic
// works against ttyd and against volundr-terminal: URLs derived from location.pathname,
// subprotocol "tty", a JSON handshake, one command byte per frame, byte-counting flow control,
// and reconnecting on any close code but 1000.
import { FitAddon } from './addon-fit.mjs';
import { Terminal } from './xterm.mjs';

const Client = { INPUT: '0', RESIZE: '1', PAUSE: '2', RESUME: '3' };
const Server = { OUTPUT: '0', SET_WINDOW_TITLE: '1', SET_PREFERENCES: '2' };

const path = window.location.pathname.replace(/[/]+$/, '');
const wsUrl = [
  window.location.protocol === 'https:' ? 'wss:' : 'ws:',
  '//',
  window.location.host,
  path,
  '/ws',
  window.location.search,
].join('');
const tokenUrl = [window.location.protocol, '//', window.location.host, path, '/token'].join('');

// ttyd's defaults: every `limit` bytes a write callback is registered; too many pending
// callbacks (xterm cannot keep up) → PAUSE, few enough again → RESUME.
const flowControl = { limit: 100000, highWater: 10, lowWater: 4 };
// Keys of the preferences message that configure the page rather than xterm.
const pageOptions = new Set([
  'rendererType',
  'disableLeaveAlert',
  'disableResizeOverlay',
  'disableReconnect',
  'enableZmodem',
  'enableTrzsz',
  'enableSixel',
  'titleFixed',
  'isWindows',
  'unicodeVersion',
  'closeOnDisconnect',
  'trzszDragInitTimeout',
]);

const encoder = new TextEncoder();
const statusEl = document.getElementById('status');
const terminal = new Terminal({
  fontSize: 13,
  fontFamily: 'Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
  cursorBlink: true,
  scrollback: 10000,
});
const fit = new FitAddon();
terminal.loadAddon(fit);
terminal.open(document.getElementById('terminal'));
fit.fit();
terminal.focus();

let socket = null;
let preferences = {};
let written = 0;
let pending = 0;
let attempts = 0;
let opened = false;
let exited = false;

function showStatus(text) {
  statusEl.textContent = text;
  statusEl.style.display = text ? 'block' : 'none';
}

function send(command, payload = '') {
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(encoder.encode(command + payload));
}

function writeOutput(data) {
  written += data.length;
  if (written > flowControl.limit) {
    terminal.write(data, () => {
      pending = Math.max(pending - 1, 0);
      if (pending < flowControl.lowWater) send(Client.RESUME);
    });
    pending++;
    written = 0;
    if (pending > flowControl.highWater) send(Client.PAUSE);
  } else {
    terminal.write(data);
  }
}

function applyPreferences(prefs) {
  preferences = prefs;
  for (const [key, value] of Object.entries(prefs)) {
    if (pageOptions.has(key)) continue;
    try {
      terminal.options[key] = value;
    } catch (error) {
      console.warn(`terminal option ${key} was not applied:`, error);
    }
  }
  if (typeof prefs.titleFixed === 'string') document.title = prefs.titleFixed;
  fit.fit();
}

function onMessage(event) {
  const data = new Uint8Array(event.data);
  const command = String.fromCharCode(data[0]);
  const payload = data.subarray(1);
  switch (command) {
    case Server.OUTPUT:
      writeOutput(payload);
      break;
    case Server.SET_WINDOW_TITLE:
      if (typeof preferences.titleFixed !== 'string') document.title = new TextDecoder().decode(payload);
      break;
    case Server.SET_PREFERENCES:
      try {
        applyPreferences(JSON.parse(new TextDecoder().decode(payload)));
      } catch (error) {
        console.warn('ignoring malformed preferences', error);
      }
      break;
    default:
      console.warn(`ignoring unknown command ${JSON.stringify(command)}`);
  }
}

async function connect() {
  let token = '';
  try {
    const response = await fetch(tokenUrl, { credentials: 'same-origin', cache: 'no-store' });
    if (response.ok) token = (await response.json()).token ?? '';
  } catch (error) {
    console.warn('token request failed', error);
  }
  socket = new WebSocket(wsUrl, ['tty']);
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => {
    attempts = 0;
    written = 0;
    pending = 0;
    exited = false;
    if (opened) terminal.reset();
    opened = true;
    send('', JSON.stringify({ AuthToken: token, columns: terminal.cols, rows: terminal.rows }));
    showStatus('');
    terminal.focus();
  };
  socket.onmessage = onMessage;
  socket.onclose = (event) => {
    socket = null;
    if (event.code === 1000) {
      exited = true;
      showStatus('');
      terminal.write('\r\n\x1b[2m[process exited — press Enter to start a new shell]\x1b[0m\r\n');
      return;
    }
    if (preferences.disableReconnect === true) {
      showStatus(`disconnected (${event.code})`);
      return;
    }
    const delay = Math.min(1000 * 2 ** attempts, 10000);
    attempts++;
    showStatus(`connection lost (${event.code}), reconnecting…`);
    setTimeout(connect, delay);
  };
}

terminal.onData((data) => {
  if (exited) {
    if (data === '\r') connect();
    return;
  }
  send(Client.INPUT, data);
});
terminal.onBinary((data) => {
  if (!socket || socket.readyState !== WebSocket.OPEN) return;
  const buffer = new Uint8Array(data.length + 1);
  buffer[0] = Client.INPUT.charCodeAt(0);
  for (let i = 0; i < data.length; i++) buffer[i + 1] = data.charCodeAt(i) & 255;
  socket.send(buffer);
});
terminal.onResize(({ cols, rows }) => send(Client.RESIZE, JSON.stringify({ columns: cols, rows })));
window.addEventListener('resize', () => fit.fit());
window.addEventListener('beforeunload', (event) => {
  if (preferences.disableLeaveAlert === true || !socket) return;
  event.preventDefault();
  event.returnValue = '';
});

connect();
