// TimescaleDB (PGlite WASM PostgreSQL 17 + timescaledb extension) on the PostgreSQL wire protocol.
//
// Usage: node server.mjs [port] [dataDir]
//   port    : argv[2] or $TIMESCALE_WASM_PORT, default 55432 (0 = pick a free port)
//   dataDir : argv[3] or $TIMESCALE_WASM_DATA_DIR; default: in memory, nothing written to disk
//
// Prints exactly one line "TIMESCALE_WASM_READY port=<port>" on stdout once it accepts connections.
// One client at a time: further connections wait in a queue (up to $TIMESCALE_WASM_QUEUE_TIMEOUT_MS,
// default 60000) until the current one closes. All connections share ONE PostgreSQL session, so
// between two connections the server resets the session (ROLLBACK; DISCARD ALL) to look like a
// fresh backend to the next client (no leftover transaction, advisory locks, temp tables, SETs).
// The timescaledb extension is created at start-up (as in the timescale/timescaledb Docker image);
// set $TIMESCALE_WASM_CREATE_EXTENSION=0 to leave that to the client.
// Set $TIMESCALE_WASM_DEBUG=1 for connection logs on stderr (2 = also pglite-socket's own logs).

import { PGlite } from '@electric-sql/pglite';
import { timescaledb } from '@electric-sql/pglite/timescaledb';
import { PGLiteSocketServer, PGLiteSocketHandler } from '@electric-sql/pglite-socket';

const DEFAULT_PORT = 55432;
const debug = process.env.TIMESCALE_WASM_DEBUG === '1';
const log = (...args) => {
  if (debug) console.error('[timescale-wasm]', ...args);
};

function parsePort(value) {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`timescale-wasm: invalid port '${value}'`);
    process.exit(2);
  }
  return port;
}

const port = parsePort(process.argv[2] ?? process.env.TIMESCALE_WASM_PORT);
const dataDir = process.argv[3] || process.env.TIMESCALE_WASM_DATA_DIR || undefined; // undefined = memory
const queueTimeout = Number(process.env.TIMESCALE_WASM_QUEUE_TIMEOUT_MS || 60000);

// --- frontend messages used to reset the shared session between two clients -----------------
function simpleQuery(sql) {
  const body = Buffer.from(sql + '\0', 'utf8');
  const msg = Buffer.alloc(5 + body.length);
  msg.write('Q', 0, 'latin1');
  msg.writeInt32BE(4 + body.length, 1);
  body.copy(msg, 5);
  return new Uint8Array(msg);
}
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]); // ends any half-done extended-protocol exchange

const quote = (v) => `'${String(v).replace(/'/g, "''")}'`;
// PGlite sets some settings at session level during start-up (notably search_path = public; the
// configured reset value is pg_catalog), so after DISCARD ALL they are applied again.
let restoreSettingsSql = null;

async function resetSession(db) {
  // Called while the exclusive lock of the leaving client is still held.
  const steps = [SYNC, simpleQuery('ROLLBACK'), simpleQuery('DISCARD ALL')];
  if (restoreSettingsSql) steps.push(simpleQuery(restoreSettingsSql));
  for (const msg of steps) {
    try {
      await db.execProtocolRaw(msg);
    } catch (err) {
      console.error('timescale-wasm: session reset step failed:', err?.message ?? err);
    }
  }
  log('session reset done');
}

// Patch the handler so that when a client leaves, the session is reset *before* the lock on the
// PGlite instance is released to the next queued client.
const originalDetach = PGLiteSocketHandler.prototype.detach;
PGLiteSocketHandler.prototype.detach = function patchedDetach(close) {
  const release = this.resolveLock;
  if (this.socket && release) {
    const db = this.db;
    this.resolveLock = () => {
      resetSession(db).finally(release);
    };
  }
  return originalDetach.call(this, close);
};

// --- start ------------------------------------------------------------------------------------
const db = await PGlite.create({
  dataDir,
  extensions: { timescaledb },
});
await db.waitReady;
if (process.env.TIMESCALE_WASM_CREATE_EXTENSION !== '0') {
  // Like the timescale/timescaledb Docker image, which has the extension created already. Also
  // protects the single shared session: a CREATE EXTENSION timescaledb that a client rolls back
  // leaves the library loaded without the extension, and every later CREATE EXTENSION then fails
  // with "extension "timescaledb" has already been loaded with another version".
  await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
}
{
  const { rows } = await db.query("SELECT name, setting FROM pg_settings WHERE source = 'session'");
  const settings = new Map(rows.map((r) => [r.name, r.setting]));
  // PGlite starts with client_min_messages = debug3: every statement would send the client a pile
  // of DEBUG notices (JDBC SQLWarnings, Flyway log lines). Use PostgreSQL's default instead.
  settings.set('client_min_messages', 'notice');
  restoreSettingsSql =
    'SELECT ' + [...settings].map(([k, v]) => `set_config(${quote(k)}, ${quote(v)}, false)`).join(', ');
  await db.exec(restoreSettingsSql);
  log('settings restored after each client:', restoreSettingsSql);
}

const server = new PGLiteSocketServer({
  db,
  port,
  host: '127.0.0.1',
  connectionQueueTimeout: queueTimeout,
  debug: process.env.TIMESCALE_WASM_DEBUG === '2',
});
server.addEventListener('connection', (e) => log('connection', JSON.stringify(e.detail)));
server.addEventListener('queuedConnection', (e) => log('queued', JSON.stringify(e.detail)));
server.addEventListener('queueTimeout', (e) => console.error('timescale-wasm: queued connection timed out', JSON.stringify(e.detail)));
server.addEventListener('error', (e) => log('error', e.detail?.message ?? e.detail));

try {
  await server.start();
} catch (err) {
  console.error(`timescale-wasm: cannot listen on 127.0.0.1:${port}: ${err?.message ?? err}`);
  await db.close().catch(() => {});
  process.exit(1);
}

// The server resolved start() with the real port (useful with port 0).
const actualPort = server.port ?? port;
process.stdout.write(`TIMESCALE_WASM_READY port=${actualPort}\n`);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log(`received ${signal}, stopping`);
  const force = setTimeout(() => process.exit(0), 5000);
  force.unref();
  try {
    await server.stop();
  } catch (err) {
    log('server.stop failed', err);
  }
  try {
    await db.close();
  } catch (err) {
    log('db.close failed', err);
  }
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
