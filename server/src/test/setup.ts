import pg from 'pg';
import { afterAll, afterEach } from 'vitest';
import { setDataKey } from '../platform/crypto';

// every test file: a fixed data key, so no key file is needed and sealed values decrypt
setDataKey(Buffer.alloc(32, 7));

/**
 * A query sent on a client that is still busy with another (Promise.all over one `tx`) is
 * deprecated in pg 8 (it warns only from the third queued query, once per process) and an
 * error in pg 9; inside a transaction the order of its statements becomes accidental. Every
 * such query is recorded here and fails the test it happened in, with both statements.
 */
const guard = globalThis as typeof globalThis & { concurrentQueries?: string[] };
// a worker process may run several files: wrap and listen once
if (!guard.concurrentQueries) {
  const concurrent: string[] = (guard.concurrentQueries = []);
  type ClientState = { _activeQuery: { text?: string } | null | undefined; _queryQueue: unknown[]; pipeline?: boolean };
  const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
  const guarded = function (this: pg.Client, ...args: unknown[]): unknown {
    const state = this as unknown as ClientState;
    if (!state.pipeline && (state._activeQuery || state._queryQueue.length > 0)) {
      const sent = args[0];
      const text = typeof sent === 'string' ? sent : ((sent as { text?: string } | undefined)?.text ?? '?');
      concurrent.push(`${text.slice(0, 200)}\n  while still running: ${(state._activeQuery?.text ?? '(queued)').slice(0, 200)}`);
    }
    return query.apply(this, args);
  };
  (pg.Client.prototype as unknown as { query: typeof guarded }).query = guarded;
  // pg's own warning too, should a client escape the wrapper above
  process.on('warning', (w) => {
    if (w.name === 'DeprecationWarning' && w.message.includes('client.query()')) concurrent.push(w.message);
  });
}

function failOnConcurrentQueries(): void {
  const found = guard.concurrentQueries?.splice(0) ?? [];
  if (found.length > 0) {
    throw new Error(`${found.length} query(ies) sent on a pg client already executing one; run them in order:\n${found.join('\n')}`);
  }
}
afterEach(failOnConcurrentQueries);
// queries of beforeAll hooks
afterAll(failOnConcurrentQueries);
