import type { Db } from '../../platform/db/db';
import { inTenant } from '../../platform/db/tenant';
import * as repo from './feedback.repo';

type Row = { answers: Record<string, unknown>; respondentName: string | null; respondentContact: string | null };
type Waiter = { row: Row; resolve: (stored: boolean) => void; reject: (e: unknown) => void };
type Queue = { tenantId: string; formId: string; version: number; waiting: Waiter[]; running: number };

/** Transactions in flight per form: the rest of the answers wait and go together in the next. */
const PARALLEL = 4;
const BATCH_MAX = 200;
const queues = new Map<string, Queue>();

/**
 * Group commit of public answers to one open form: while a few inserts are running, answers
 * arriving meanwhile wait and are written together, in one transaction with one multi-row
 * statement, when a slot frees. Nothing waits when the form is quiet (the first answer goes
 * at once). Resolves true when stored, false when the form was closed or changed (the caller
 * then takes the full path, which says why); a failed transaction fails all its answers.
 */
export function enqueueAnswer(db: Db, tenantId: string, formId: string, version: number, row: Row): Promise<boolean> {
  const key = `${formId}:${version}`;
  let q = queues.get(key);
  if (!q) {
    q = { tenantId, formId, version, waiting: [], running: 0 };
    queues.set(key, q);
  }
  const queue = q;
  return new Promise<boolean>((resolve, reject) => {
    queue.waiting.push({ row, resolve, reject });
    if (queue.running < PARALLEL) void flush(db, key, queue);
  });
}

async function flush(db: Db, key: string, q: Queue): Promise<void> {
  const batch = q.waiting.splice(0, BATCH_MAX);
  if (batch.length === 0) {
    if (q.running === 0) queues.delete(key);
    return;
  }
  q.running += 1;
  try {
    const n = await inTenant(db, q.tenantId, (tx) =>
      repo.insertResponsesIfOpen(
        tx,
        q.formId,
        q.version,
        batch.map((w) => w.row),
      ),
    );
    for (const w of batch) w.resolve(n === batch.length);
  } catch (e) {
    for (const w of batch) w.reject(e);
  } finally {
    q.running -= 1;
  }
  await flush(db, key, q);
}
