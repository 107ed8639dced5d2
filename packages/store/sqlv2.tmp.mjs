import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
const init = fs.readFileSync(new URL('./drizzle/0000_init.sql', import.meta.url), 'utf8').split('--> statement-breakpoint');
async function fresh() { const db = await PGlite.create(fs.mkdtempSync('/tmp/sqlv-')); for (const s of init) await db.exec(s); return db; }
const input = { service: { id: 'svc-1', tier: 'enterprise', environment: 'production', endpoint: 'https://api.example.com/v1', data_classification: 'confidential', data_residency: ['US', 'DE'], certifications: ['SOC2'], tls_version: 1.3, authentication: 'oauth2', sla: { availability: 99.95 } } };
let k = 0;
function rows(n) { const d = []; const now = new Date().toISOString(); for (let i = 0; i < n; i++) { const id = 'd' + (k++); const deny = k % 2 === 0; d.push({ id, ruleset: 'marketplace.admission', version: 1, channel: 'production', decision: deny ? 'deny' : 'allow', violatedRules: deny ? ['tls_minimum'] : [], outputs: {}, durationUs: 12, input, inputHash: 'ab'.repeat(32), prevHash: 'cd'.repeat(32), rowHash: 'ef'.repeat(32), createdAt: now }); } return d; }
const COLS = `id, ruleset, version, channel, decision, violated_rules, outputs, duration_us, input, input_hash, prev_hash, row_hash, created_at`;
const shipped = (db, d) => db.query(`insert into decision_log (${COLS})
          select r->>'id', r->>'ruleset', (r->>'version')::int, r->>'channel', r->>'decision', r->'violatedRules', r->'outputs',
                 (r->>'durationUs')::int, nullif(r->'input', 'null'::jsonb), r->>'inputHash', r->>'prevHash', r->>'rowHash', (r->>'createdAt')::timestamptz
          from jsonb_array_elements($1::jsonb) with ordinality as t(r, n) order by n returning seq`, [JSON.stringify(d)]);
const recordset = (db, d) => db.query(`insert into decision_log (${COLS})
          select id, ruleset, version, channel, decision, "violatedRules", outputs, "durationUs", input, "inputHash", "prevHash", "rowHash", "createdAt"
          from rows from (jsonb_to_recordset($1::jsonb) as (id text, ruleset text, version int, channel text, decision text, "violatedRules" jsonb, outputs jsonb, "durationUs" int, input jsonb, "inputHash" text, "prevHash" text, "rowHash" text, "createdAt" timestamptz)) with ordinality as t order by ordinality returning seq`, [JSON.stringify(d)]);
const esc = (s) => s.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]);
const copy = (db, d) => db.query(`copy decision_log (${COLS}) from '/dev/blob'`, [], { blob: new Blob([d.map((r) => [r.id, r.ruleset, r.version, r.channel, r.decision, JSON.stringify(r.violatedRules), JSON.stringify(r.outputs), r.durationUs, JSON.stringify(r.input), r.inputHash, r.prevHash, r.rowHash, r.createdAt].map((x) => esc(String(x))).join('\t')).join('\n') + '\n']) });
const select1 = (db) => db.query('select 1');
const variants = { shipped, recordset, copy, select1 };
const dbs = {}; for (const name of Object.keys(variants)) dbs[name] = await fresh();
const res = {};
for (let round = 0; round < 16; round++) for (const [name, f] of Object.entries(variants)) {
  const db = dbs[name]; const t0 = performance.now();
  for (let i = 0; i < 10; i++) { const d = rows(50); await f(db, d); }
  const us = (performance.now() - t0) * 1000 / 500; if (round > 0) (res[name] ??= []).push(us.toFixed(0));
}
for (const [n, v] of Object.entries(res)) console.log(n.padEnd(14), v.join(' '));
