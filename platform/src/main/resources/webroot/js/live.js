// Live queue updates: reads GET /api/v1/alerts/stream (server-sent events) with fetch(), because EventSource cannot
// send the Authorization header. Each "queue" event fires a 'careloop:queue-changed' window event; pages re-read the
// queue through the ordinary API. The server ends a stream every few minutes; we reconnect while the person is
// active, so an idle page does not keep its session alive forever.
import { session } from './session.js';

const IDLE_LIMIT_MS = 30 * 60 * 1000;
let controller = null;
let lastActivity = Date.now();
let status = () => {};

for (const type of ['keydown', 'pointerdown', 'wheel', 'touchstart']) {
  window.addEventListener(type, () => { lastActivity = Date.now(); }, {passive: true});
}

export function onStatus(callback) { status = callback; }

export function startLive() {
  stopLive();
  controller = new AbortController();
  run(controller.signal);
}

export function stopLive() {
  if (controller) controller.abort();
  controller = null;
}

async function run(signal) {
  let backoff = 1000;
  while (!signal.aborted && session.token) {
    if (Date.now() - lastActivity > IDLE_LIMIT_MS) {
      status('paused', 'Live updates paused while you are away');
      await wait(5000, signal);
      continue;
    }
    try {
      const response = await fetch('/api/v1/alerts/stream', {headers: {Authorization: 'Bearer ' + session.token}, signal, cache: 'no-store'});
      if (response.status === 401) {
        // The next API call ends the session with its message; do not hammer the server meanwhile.
        window.dispatchEvent(new Event('careloop:queue-changed'));
        return;
      }
      if (!response.ok || !response.body) throw new Error('HTTP ' + response.status);
      status('on', 'Live');
      backoff = 1000;
      // A (re)connect may have missed changes: re-read once.
      window.dispatchEvent(new Event('careloop:queue-changed'));
      await read(response.body, signal);
    } catch (e) {
      if (signal.aborted) return;
    }
    status('off', 'Reconnecting…');
    await wait(backoff, signal);
    backoff = Math.min(backoff * 2, 30000);
  }
}

async function read(body, signal) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  while (!signal.aborted) {
    const {value, done} = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (/^event: queue$/m.test(block)) window.dispatchEvent(new Event('careloop:queue-changed'));
    }
  }
}

function wait(ms, signal) {
  return new Promise(resolve => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, {once: true});
  });
}
