// A chat client in its own process for the broker benchmark (as a browser would be): sends one
// user message, receives the turn, and reports per-event latency from the emit time the fake
// transport wrote into each delta (process.hrtime is CLOCK_MONOTONIC, shared by processes).
import { WebSocket } from 'ws';

const [url, token, text] = process.argv.slice(2);
const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
const latenciesNs = [];
let firstEmit = 0n;
let lastRecv = 0n;
let deltas = 0;
let sent = false;

ws.on('message', (data) => {
  const recv = process.hrtime.bigint();
  const event = JSON.parse(data.toString());
  if (event.type === 'ready' && !sent) {
    // The replay of earlier turns ends with `ready`: only what follows belongs to this run.
    sent = true;
    ws.send(JSON.stringify({ type: 'user_message', id: `bench-${Date.now()}`, text }));
  } else if (!sent) {
    return;
  } else if (event.type === 'text_delta') {
    const emitted = BigInt(event.text);
    if (deltas === 0) firstEmit = emitted;
    deltas++;
    latenciesNs.push(Number(recv - emitted));
  } else if (event.type === 'turn_completed' || event.type === 'turn_failed') {
    lastRecv = recv;
    process.stdout.write(
      `${JSON.stringify({ deltas, firstEmit: firstEmit.toString(), lastRecv: lastRecv.toString(), latenciesNs })}\n`,
    );
    ws.close();
  }
});
ws.on('close', () => process.exit(0));
ws.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
