/**
 * Child process: an open-loop load at a fixed rate (pinned to its own core by
 * the parent). Argument: a JSON `LoadSpec` with `overallRate`. Prints one JSON
 * `LoadResult` line.
 *
 * Why not autocannon's `overallRate`: autocannon 9 paces each connection per
 * second (it sends as fast as it can until the connection's share of the
 * second is used up, then waits for the next second), so "5,000/s" arrives as
 * a burst at full speed at the start of every second; and it corrects for
 * coordinated omission with an expected interval of `ceil(1 / rate)` = 1 ms
 * instead of `1000 / rate` ms, which back-fills every response slower than
 * 1 ms with made-up samples. Here request i is due at start + i / rate, goes
 * out on a free keep-alive connection at that time (or as soon as one frees
 * up), and its latency is counted from when it was due, so a server that
 * falls behind is charged for the wait (no coordinated omission).
 */
import { connect, type Socket } from 'node:net';
import type { LoadResult, LoadSpec } from './load.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const rate = spec.overallRate ?? 1000;
const url = new URL(spec.url);
const requests = spec.bodies.map((body) =>
  Buffer.from(
    `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
      Object.entries(spec.headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('') +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  ),
);

interface Conn {
  socket: Socket;
  buffer: Buffer;
  due: number;
}

const total = Math.round(rate * spec.durationSec);
const latencies = new Float64Array(total);
let answered = 0;
let non2xx = 0;
let errors = 0;
let sent = 0;
const idle: Conn[] = [];
const waiting: number[] = []; // due times of requests not yet sent (no free connection)
let waitingHead = 0;

function send(conn: Conn, due: number): void {
  conn.due = due;
  conn.socket.write(requests[sent % requests.length]!);
  sent++;
}

function dispatch(): void {
  while (waitingHead < waiting.length && idle.length > 0) send(idle.pop()!, waiting[waitingHead++]!);
}

/** Reads one response at a time (no pipelining): status line, Content-Length body. */
function onData(conn: Conn, chunk: Buffer): void {
  conn.buffer = conn.buffer.length === 0 ? chunk : Buffer.concat([conn.buffer, chunk]);
  for (;;) {
    const end = conn.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = conn.buffer.subarray(0, end).toString('latin1');
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (length === null) throw new Error(`response without Content-Length: ${head.slice(0, 200)}`);
    const size = end + 4 + Number(length[1]);
    if (conn.buffer.length < size) return;
    const status = Number(head.slice(9, 12));
    if (status < 200 || status > 299) non2xx++;
    if (answered < total) latencies[answered] = performance.now() - conn.due;
    answered++;
    conn.buffer = conn.buffer.subarray(size);
    idle.push(conn);
    dispatch();
  }
}

const conns = await Promise.all(
  Array.from({ length: spec.connections }, () =>
    new Promise<Conn>((done, fail) => {
      const socket = connect(Number(url.port), url.hostname);
      socket.setNoDelay(true);
      const conn: Conn = { socket, buffer: Buffer.alloc(0), due: 0 };
      socket.once('connect', () => done(conn));
      socket.once('error', fail);
      socket.on('data', (chunk: Buffer) => onData(conn, chunk));
    }),
  ),
);
for (const conn of conns) {
  conn.socket.on('error', () => errors++);
  idle.push(conn);
}

const start = performance.now();
let due = 0;
await new Promise<void>((done) => {
  // Spins on setImmediate (this process has a core to itself), so a request goes out within
  // microseconds of its due time rather than on a 1 ms timer tick; never before it.
  const tick = () => {
    const now = performance.now();
    while (due < total && start + (due * 1000) / rate <= now) waiting.push(start + (due++ * 1000) / rate);
    dispatch();
    if (due >= total) done();
    else setImmediate(tick);
  };
  tick();
});
// let the last requests finish (at most 10 s)
const drainUntil = performance.now() + 10_000;
while (answered < sent && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 5));
const elapsed = (performance.now() - start) / 1000;
for (const conn of conns) conn.socket.destroy();

const measured = latencies.subarray(0, Math.min(answered, total)).sort();
const pct = (p: number) => (measured.length === 0 ? 0 : measured[Math.min(measured.length - 1, Math.floor((p / 100) * measured.length))]!);
const result: LoadResult = {
  rps: answered / elapsed,
  p50: pct(50),
  p99: pct(99),
  p999: pct(99.9),
  max: measured.length === 0 ? 0 : measured[measured.length - 1]!,
  total: answered,
  non2xx,
  errors,
  unanswered: total - answered,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
