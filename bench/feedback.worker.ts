/**
 * autocannon in a worker thread for the feedback bench: POSTs of a JSON answer, each from its
 * own X-Forwarded-For address (the per-address limit applies to people, not to this test).
 * Every 2xx response time is recorded, so p95 is exact.
 */
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

export type FeedbackLoadJob = { url: string; body: string; connections: number; warmup: number; duration: number; ipBase: number };
export type FeedbackLoadOutcome = { latencies: number[]; completed: number; ok: number; non2xx: number; errors: number; timeouts: number; seconds: number; statusCodes: Record<string, number> };

function once(job: FeedbackLoadJob, seconds: number, record: boolean, ipOffset: number): Promise<FeedbackLoadOutcome> {
  const latencies: number[] = [];
  let seq = ipOffset;
  let ok = 0;
  const headers = { 'content-type': 'application/json', 'x-requested-with': 'tongxin' };
  type Spec = { method?: string; headers?: Record<string, string>; body?: string };
  // POST bodies and per-request set-up are autocannon options bench/autocannon.d.ts leaves out
  const opts = {
    url: job.url,
    connections: job.connections,
    duration: seconds,
    timeout: 30,
    method: 'POST',
    headers,
    body: job.body,
    requests: [
      {
        method: 'POST',
        body: job.body,
        setupRequest: (req: Spec): Spec => {
          seq += 1;
          const ip = `10.${job.ipBase}.${(seq >> 8) & 255}.${seq & 255}`;
          return { ...req, headers: { ...headers, 'x-forwarded-for': ip } };
        },
      },
    ],
  } as autocannon.Options;
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, raw) => {
      if (err) return reject(err);
      resolve({
        latencies,
        completed: raw.totalCompletedRequests,
        ok,
        non2xx: raw.non2xx,
        errors: raw.errors,
        timeouts: raw.timeouts,
        seconds: raw.duration,
        statusCodes: Object.fromEntries(Object.entries(raw.statusCodeStats).map(([k, v]) => [k, v.count])),
      });
    });
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) {
        ok += 1;
        if (record) latencies.push(ms);
      }
    });
  });
}

async function main() {
  const job = workerData as FeedbackLoadJob;
  const warm = job.warmup > 0 ? await once(job, job.warmup, false, 0) : null;
  const outcome = await once(job, job.duration, true, 1 << 15);
  parentPort?.postMessage({ warmupOk: warm?.ok ?? 0, outcome });
}

main().catch((e: unknown) => {
  throw e;
});
