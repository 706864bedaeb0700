import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { ROLES, type Role } from "../../shared/roles.js";
import type { PoolStats } from "../db/pool-stats.js";

/** Where the gauges read their values at scrape time; filled in as the parts of the server start. */
interface MetricSources {
  /** Pool use of the database client. */
  pool(): PoolStats;
  /** Events committed to the log but not yet delivered by this node's pump. */
  pumpLagEvents(): Promise<number>;
  /** How long this node's pump has waited at a gap in the event ids (0 when flowing). */
  pumpWaitingSeconds(): number;
  /** Open Socket.IO connections of this node by the user's role. */
  socketsByRole(): Record<Role, number>;
}

/** Bounds for response-time histograms (call handling is minutes, requests are milliseconds). */
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const RESPONSE_BUCKETS = [30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 7200, 14400];

/**
 * This process's Prometheus metrics, in a registry of its own (not prom-client's global one), so
 * several servers in one process (the tests) each count only their own work.
 */
export class Metrics {
  readonly registry = new Registry();
  private sources: Partial<MetricSources> = {};

  readonly httpDuration = new Histogram({
    name: "warmline_http_request_duration_seconds",
    help: "HTTP request duration by method, route pattern (not the raw path) and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });

  readonly jobRuns = new Counter({
    name: "warmline_job_runs_total",
    help: "Scheduled job runs started on this node, by job",
    labelNames: ["job"] as const,
    registers: [this.registry],
  });

  readonly jobFailures = new Counter({
    name: "warmline_job_failures_total",
    help: "Scheduled job runs on this node that threw, by job",
    labelNames: ["job"] as const,
    registers: [this.registry],
  });

  readonly crewAlerts = new Counter({
    name: "warmline_crew_alerts_total",
    help: "Crew alerts raised on this node: missed check-ins and panics",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });

  readonly missedCheckInAlertDelay = new Histogram({
    name: "warmline_missed_check_in_alert_delay_seconds",
    help: "Time from a missed check-in deadline to its duty-room alert (promised within 30 s)",
    buckets: [1, 2, 5, 10, 15, 20, 30, 60, 300],
    registers: [this.registry],
  });

  readonly callToDispatch = new Histogram({
    name: "warmline_call_to_dispatch_seconds",
    help: "Time from a case's call to its first dispatched vehicle, observed on the node that dispatched",
    labelNames: ["urgency"] as const,
    buckets: RESPONSE_BUCKETS,
    registers: [this.registry],
  });

  readonly callToOnScene = new Histogram({
    name: "warmline_call_to_on_scene_seconds",
    help: "Time from a case's call to the first crew on scene, observed on the node that recorded the arrival",
    labelNames: ["urgency"] as const,
    buckets: RESPONSE_BUCKETS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "warmline_" });
    const sources = () => this.sources;
    new Gauge({
      name: "warmline_db_pool_size",
      help: "Connections the database client may open (1 for embedded PGlite)",
      registers: [this.registry],
      collect() {
        const p = sources().pool?.();
        if (p) this.set(p.size);
      },
    });
    new Gauge({
      name: "warmline_db_pool_in_use",
      help: "Database connections busy with a statement or transaction",
      registers: [this.registry],
      collect() {
        const p = sources().pool?.();
        if (p) this.set(p.inUse);
      },
    });
    new Gauge({
      name: "warmline_db_pool_waiting",
      help: "Statements or transactions queued for a database connection",
      registers: [this.registry],
      collect() {
        const p = sources().pool?.();
        if (p) this.set(p.waiting);
      },
    });
    new Gauge({
      name: "warmline_sockets",
      help: "Open Socket.IO connections on this node, by role",
      labelNames: ["role"] as const,
      registers: [this.registry],
      collect() {
        const byRole = sources().socketsByRole?.();
        for (const role of ROLES) this.set({ role }, byRole?.[role] ?? 0);
      },
    });
    let lagEvents = 0;
    new Gauge({
      name: "warmline_event_pump_lag_events",
      help: "Events committed to the log that this node has not yet delivered to its sockets",
      registers: [this.registry],
      async collect() {
        const read = sources().pumpLagEvents;
        // A database that does not answer leaves the last value (readiness reports the outage).
        if (read) lagEvents = await read().catch(() => lagEvents);
        this.set(lagEvents);
      },
    });
    new Gauge({
      name: "warmline_event_pump_lag_seconds",
      help: "How long this node's event delivery has waited on an open transaction that wrote events",
      registers: [this.registry],
      collect() {
        this.set(sources().pumpWaitingSeconds?.() ?? 0);
      },
    });
  }

  /** Connects the gauges to the running parts (called again as more of them start). */
  attach(more: Partial<MetricSources>): void {
    this.sources = { ...this.sources, ...more };
  }

  /** The exposition text. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
