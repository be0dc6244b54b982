// Types for the part of autocannon 9 the bench uses (the package ships none; see its README, "API").
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    /** hdr-histogram-percentiles-obj: values in ms for latency */
    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p0_001: number;
      p0_01: number;
      p0_1: number;
      p1: number;
      p2_5: number;
      p10: number;
      p25: number;
      p50: number;
      p75: number;
      p90: number;
      p97_5: number;
      p99: number;
      p99_9: number;
      p99_99: number;
      p99_999: number;
    }
    interface Options {
      url: string;
      connections?: number;
      /** seconds */
      duration?: number;
      /** seconds */
      timeout?: number;
      pipelining?: number;
      method?: string;
      headers?: Record<string, string>;
      title?: string;
      skipAggregateResult?: boolean;
    }
    /** As passed to the callback; in a worker thread the histograms are still encoded (see aggregateResult). */
    interface RawResult {
      totalCompletedRequests: number;
      totalRequests: number;
      totalBytes: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      duration: number;
      statusCodeStats: Record<string, { count: number }>;
    }
    interface Result extends RawResult {
      latency: Histogram;
      requests: Histogram;
      throughput: Histogram;
      '2xx': number;
    }
    interface Instance extends EventEmitter {
      stop(): void;
    }
    /** Decodes the histograms of results produced in a worker thread or with skipAggregateResult. */
    function aggregateResult(results: RawResult[], opts?: Options): Result;
  }

  function autocannon(opts: autocannon.Options, cb: (err: Error | null, result: autocannon.RawResult) => void): autocannon.Instance;
  export = autocannon;
}
