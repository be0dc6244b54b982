import type { Entry } from '@tongxin/contracts';

/**
 * One fact of the ledger as a member reads it: an entry and the corrections that followed it
 * in the same month and branch (attendance re-recorded, an accepted objection). Repeated
 * corrections append reversal and new entries; the chain shows their net effect on one line,
 * with the history behind it. An adjustment booked in a later period is a fact of its own.
 */
export type EntryChain = {
  key: string;
  /** the first entry: what the fact is */
  root: Entry;
  /** the newest entry: what an objection or an adjustment cites */
  last: Entry;
  /** every entry of the chain, oldest first */
  entries: Entry[];
  net: number;
};

const round2 = (n: number) => Math.round(n * 100) / 100;

export function chainsOf(entries: Entry[]): EntryChain[] {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const rootOf = (e: Entry): Entry => {
    let cur = e;
    // a correction joins the chain of what it corrects when it counts in the same month and branch
    for (let guard = 0; guard < 10_000; guard++) {
      const prev = cur.correctsId ? byId.get(cur.correctsId) : undefined;
      if (!prev || prev.period !== cur.period || prev.branchId !== cur.branchId) return cur;
      cur = prev;
    }
    return cur;
  };
  const chains = new Map<string, EntryChain>();
  const order: string[] = [];
  const oldestFirst = [...entries].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  for (const e of oldestFirst) {
    const root = rootOf(e);
    let c = chains.get(root.id);
    if (!c) {
      c = { key: root.id, root, last: e, entries: [], net: 0 };
      chains.set(root.id, c);
      order.push(root.id);
    }
    c.entries.push(e);
    c.last = e;
    c.net = round2(c.net + e.amount);
  }
  // newest month first, then newest fact first, as the ledger lists them
  return order
    .map((k) => chains.get(k) as EntryChain)
    .sort((a, b) => b.root.period.localeCompare(a.root.period) || b.last.createdAt.localeCompare(a.last.createdAt));
}
