/**
 * Runs autocannon in a worker thread, so the load generator has its own event loop and does
 * not queue behind the app it measures (the app runs on the main thread of the same process).
 * Every response time is recorded, so any percentile (p95 included) is exact.
 */
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

export type LoadJob = {
  url: string;
  headers: Record<string, string>;
  connections: number;
  /** seconds of warm-up, not recorded */
  warmup: number;
  /** seconds recorded */
  duration: number;
};

export type LoadOutcome = {
  /** response times in ms of the 2xx responses of the recorded run */
  latencies: number[];
  completed: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** seconds, as measured by autocannon */
  seconds: number;
  /** autocannon's own figures (HDR histogram, whole ms) for cross-checking */
  autocannon: { p50: number; p90: number; p97_5: number; p99: number; mean: number; reqPerSecMean: number };
  statusCodes: Record<string, number>;
};

function once(job: LoadJob, seconds: number, record: boolean): Promise<LoadOutcome> {
  const latencies: number[] = [];
  const opts: autocannon.Options = { url: job.url, connections: job.connections, duration: seconds, headers: job.headers, timeout: 30 };
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, raw) => {
      if (err) return reject(err);
      const r = autocannon.aggregateResult([raw], opts);
      resolve({
        latencies,
        completed: raw.totalCompletedRequests,
        non2xx: raw.non2xx,
        errors: raw.errors,
        timeouts: raw.timeouts,
        seconds: raw.duration,
        autocannon: { p50: r.latency.p50, p90: r.latency.p90, p97_5: r.latency.p97_5, p99: r.latency.p99, mean: r.latency.mean, reqPerSecMean: r.requests.mean },
        statusCodes: Object.fromEntries(Object.entries(raw.statusCodeStats).map(([k, v]) => [k, v.count])),
      });
    });
    if (record) {
      instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
        if (status >= 200 && status < 300) latencies.push(ms);
      });
    }
  });
}

async function main() {
  const job = workerData as LoadJob;
  if (job.warmup > 0) await once(job, job.warmup, false);
  const outcome = await once(job, job.duration, true);
  parentPort?.postMessage(outcome);
}

main().catch((e: unknown) => {
  throw e;
});
