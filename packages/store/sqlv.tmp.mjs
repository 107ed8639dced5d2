import { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
const init = fs.readFileSync(new URL('./drizzle/0000_init.sql', import.meta.url), 'utf8').split('--> statement-breakpoint');
async function fresh(drop) { const db = await PGlite.create(process.argv[2] === 'file' ? fs.mkdtempSync('/tmp/sqlv-') : undefined); for (const s of init) await db.exec(s); for (const d of drop) await db.exec(d); return db; }
const input = { service: { id: 'svc-1', tier: 'enterprise', environment: 'production', endpoint: 'https://api.example.com/v1', data_classification: 'confidential', data_residency: ['US', 'DE'], certifications: ['SOC2'], tls_version: 1.3, authentication: 'oauth2', sla: { availability: 99.95 } } };
let k = 0;
function chunk(n) { const d = [], v = []; const now = new Date().toISOString(); for (let i = 0; i < n; i++) { const id = 'd' + (k++); const deny = k % 2 === 0; d.push({ id, ruleset: 'marketplace.admission', version: 1, channel: 'production', decision: deny ? 'deny' : 'allow', violatedRules: deny ? ['tls_minimum'] : [], outputs: {}, durationUs: 12, input, inputHash: 'ab'.repeat(32), prevHash: 'cd'.repeat(32), rowHash: 'ef'.repeat(32), createdAt: now }); if (deny) v.push({ decisionId: id, ruleset: 'marketplace.admission', rule: 'tls_minimum', severity: 'high', message: 'Production needs TLS 1.2 or later; the service declares no version', createdAt: now }); } return [JSON.stringify(d), JSON.stringify(v)]; }
const D = `insert into decision_log (id, ruleset, version, channel, decision, violated_rules, outputs, duration_us, input, input_hash, prev_hash, row_hash, created_at)
          select r->>'id', r->>'ruleset', (r->>'version')::int, r->>'channel', r->>'decision', r->'violatedRules', r->'outputs',
                 (r->>'durationUs')::int, nullif(r->'input', 'null'::jsonb), r->>'inputHash', r->>'prevHash', r->>'rowHash', (r->>'createdAt')::timestamptz
          from jsonb_array_elements($1::jsonb) with ordinality as t(r, n) order by n returning seq`;
const V = `insert into violations (decision_id, ruleset, rule, severity, message, created_at)
          select r->>'decisionId', r->>'ruleset', r->>'rule', r->>'severity', r->>'message', (r->>'createdAt')::timestamptz
          from jsonb_array_elements($2::jsonb) with ordinality as t(r, n) order by n`;
const both = `with inserted as (${D}), violated as (${V}) select max(seq) as last_seq from inserted`;
const onlyD = `with inserted as (${D}) select max(seq) as last_seq, length($2::text) from inserted`;
const idx = ['decision_log_ruleset_seq_idx','decision_log_ruleset_channel_seq_idx','decision_log_decision_seq_idx','decision_log_created_at_idx','decision_log_violated_rules_idx','violations_decision_id_idx','violations_ruleset_id_idx','violations_rule_id_idx','violations_created_at_idx'];
const variants = {
  shipped: [[], both],
  decisionsOnly: [[], onlyD],
  noGin: [['drop index decision_log_violated_rules_idx'], both],
  noSecondary: [idx.map(i => `drop index ${i}`), both],
  noFk: [['alter table violations drop constraint violations_decision_id_decision_log_id_fk'], both],
};
const dbs = {}; for (const [name, [drop]] of Object.entries(variants)) dbs[name] = await fresh(drop);
const res = {};
for (let round = 0; round < 6; round++) for (const [name, [, sql]] of Object.entries(variants)) {
  const db = dbs[name]; const t0 = performance.now();
  for (let i = 0; i < 10; i++) { const [a, b] = chunk(50); await db.transaction(async (tx) => { await tx.query(sql, [a, b]); }); }
  const us = (performance.now() - t0) * 1000 / 500; if (round > 0) (res[name] ??= []).push(us.toFixed(0));
}
for (const [n, v] of Object.entries(res)) console.log(n.padEnd(14), v.join(' '));
