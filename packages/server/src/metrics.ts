/** Prometheus metrics: requests, decisions by ruleset and outcome, latencies, log queue depth. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'verdict_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'] as const, registers: [this.registry] });
  readonly requestSeconds = new Histogram({
    name: 'verdict_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly decisions = new Counter({ name: 'verdict_decisions_total', help: 'Decisions by ruleset and outcome', labelNames: ['ruleset', 'outcome'] as const, registers: [this.registry] });
  readonly evaluationSeconds = new Histogram({
    name: 'verdict_evaluation_duration_seconds',
    help: 'Time to evaluate one decision (engine only)',
    labelNames: ['ruleset'] as const,
    buckets: [0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.005, 0.01],
    registers: [this.registry],
  });
  readonly logQueueDepth = new Gauge({ name: 'verdict_decision_log_queue_depth', help: 'Decisions waiting to be written to the decision log', registers: [this.registry] });
  readonly logWriteFailures = new Counter({ name: 'verdict_decision_log_write_failures_total', help: 'Failed decision log batch writes (retried)', registers: [this.registry] });
  readonly logDropped = new Counter({ name: 'verdict_decision_log_dropped_total', help: 'Decisions answered but not logged: the database, the memory queue and the journal could not take them (overflow policy drop)', registers: [this.registry] });
  readonly logUnjournalled = new Counter({ name: 'verdict_decision_log_unjournalled_total', help: 'Decisions the journal could not take (kept in memory only, or dropped when memory was full too)', registers: [this.registry] });
  readonly journalBytes = new Gauge({ name: 'verdict_decision_log_journal_bytes', help: 'Size of the decision log journal (rows not yet in the database)', registers: [this.registry] });
  readonly databaseUp = new Gauge({ name: 'verdict_database_up', help: 'Whether the last database probe answered (1) or not (0)', registers: [this.registry] });
  readonly logRejected = new Counter({ name: 'verdict_decision_log_rejected_total', help: 'Decisions the database refused as data (set aside and logged, not retried)', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'verdict_' });
  }

  // Label sets resolved once per combination: prom-client hashes the label object on every
  // `inc`/`observe` with labels, which showed on the per-request path under load.
  private readonly requestChildren = new Map<string, { count: ReturnType<Metrics['requests']['labels']>; seconds: ReturnType<Metrics['requestSeconds']['labels']> }>();
  private readonly decisionChildren = new Map<string, { count: ReturnType<Metrics['decisions']['labels']>; seconds: ReturnType<Metrics['evaluationSeconds']['labels']> }>();

  /** Counts one HTTP request and its latency. */
  request(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let child = this.requestChildren.get(key);
    if (child === undefined) {
      child = { count: this.requests.labels({ method, route, status: String(status) }), seconds: this.requestSeconds.labels({ method, route }) };
      // routes are the app's patterns, not raw paths, so this stays small
      if (this.requestChildren.size < 10_000) this.requestChildren.set(key, child);
    }
    child.count.inc();
    child.seconds.observe(seconds);
  }

  /** Counts one decision and its evaluation time. */
  decision(ruleset: string, outcome: string, seconds: number): void {
    const key = `${ruleset}\u0000${outcome}`;
    let child = this.decisionChildren.get(key);
    if (child === undefined) {
      child = { count: this.decisions.labels({ ruleset, outcome }), seconds: this.evaluationSeconds.labels({ ruleset }) };
      if (this.decisionChildren.size < 10_000) this.decisionChildren.set(key, child);
    }
    child.count.inc();
    child.seconds.observe(seconds);
  }
}
