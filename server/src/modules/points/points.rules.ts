import type { Grade, Grading, Rule, RuleKind } from '@tongxin/contracts';

/**
 * Pure rules of the points area: what an attendance row is worth under a rule set, the
 * periods, the notice window and grading. No I/O, so the property test and the services
 * share exactly one definition.
 */

export type ParticipantFact = {
  participantId: string;
  personId: string;
  branchId: string | null;
  role: string;
  attendance: string;
  leaveStatus: string | null;
  partyStatus: string;
};

export type ActivityFact = {
  typeCode: string;
  status: string;
  /** first day of the month (Asia/Shanghai) the activity counts in */
  period: string;
  /** volunteer hours: the activity's extra.hours, else its duration */
  hours: number;
};

export type RuleSetFact = { version: number; baseScore: number; rules: Rule[] };

export type DesiredEntry = {
  participantId: string;
  personId: string;
  branchId: string;
  period: string;
  ruleCode: string;
  ruleKind: RuleKind;
  ruleSetVersion: number;
  amount: number;
  cap: number | null;
  capPeriod: string | null;
};

export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Absent without an approved leave: marked absent, or on a leave that was refused. */
function absentWithoutLeave(p: ParticipantFact): boolean {
  return p.attendance === 'absent' || (p.attendance === 'leave' && p.leaveStatus === 'rejected');
}

/** What each participant of an activity earns or loses, rule by rule. */
export function desiredEntries(a: ActivityFact, ps: ParticipantFact[], rs: RuleSetFact | null): DesiredEntry[] {
  // points come from recorded facts: a planned or held activity (sign-ins still coming in)
  // books nothing yet, and one that was cancelled books nothing at all
  if (!rs || a.status !== 'recorded') return [];
  const out: DesiredEntry[] = [];
  for (const p of ps) {
    // points are for Party members (full or probationary) counted in a branch
    if (p.partyStatus === 'none' || !p.branchId) continue;
    for (const r of rs.rules) {
      if (!r.typeCodes.includes(a.typeCode)) continue;
      let amount = 0;
      if (r.kind === 'attend' && p.attendance === 'present') amount = r.amount;
      else if (r.kind === 'absent' && absentWithoutLeave(p)) amount = -r.amount;
      else if (r.kind === 'role' && p.attendance === 'present' && (r.roles as string[]).includes(p.role)) amount = r.amount;
      else if (r.kind === 'volunteer' && p.attendance === 'present') amount = round2(r.amount * a.hours);
      if (amount === 0) continue;
      out.push({
        participantId: p.participantId,
        personId: p.personId,
        branchId: p.branchId,
        period: a.period,
        ruleCode: r.code,
        ruleKind: r.kind,
        ruleSetVersion: rs.version,
        amount,
        cap: r.cap?.max ?? null,
        capPeriod: r.cap?.period ?? null,
      });
    }
  }
  return out;
}

/** '2026-05' → '2026-05-01' */
export const monthStart = (month: string): string => `${month}-01`;
export const monthOf = (period: string): string => period.slice(0, 7);

export function quarterStartOf(period: string): string {
  const y = period.slice(0, 4);
  const m = Number(period.slice(5, 7));
  const q = Math.floor((m - 1) / 3) * 3 + 1;
  return `${y}-${String(q).padStart(2, '0')}-01`;
}

/** '2026-Q2' → '2026-04-01' */
export function quarterStart(quarter: string): string {
  const q = Number(quarter.slice(6));
  return `${quarter.slice(0, 4)}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
}

/** '2026-04-01' → '2026-Q2' */
export function quarterLabel(start: string): string {
  return `${start.slice(0, 4)}-Q${Math.floor((Number(start.slice(5, 7)) - 1) / 3) + 1}`;
}

export function addMonths(period: string, n: number): string {
  const y = Number(period.slice(0, 4));
  const m = Number(period.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${yy}-${String(mm + 1).padStart(2, '0')}-01`;
}

/** The Shanghai calendar date of an instant, 'YYYY-MM-DD'. */
export function shanghaiDay(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/**
 * End of an objection window: `days` working days (Monday to Friday) after the day of
 * publication, to the end of that day in China. There is no holiday calendar: public
 * holidays and the make-up working weekends (调休) are not known to the system.
 */
export function windowEnd(publishedAt: Date, days: number): Date {
  const day = shanghaiDay(publishedAt);
  // noon UTC of the Shanghai date: getUTCDay gives that date's weekday
  const d = new Date(`${day}T12:00:00Z`);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  const end = d.toISOString().slice(0, 10);
  // 23:59:59.999 in Shanghai (UTC+8, no daylight saving)
  return new Date(`${end}T15:59:59.999Z`);
}

/** Clamps a cumulative amount into [-cap, cap]; no cap leaves it as it is. */
export const clampCap = (n: number, cap: number | null): number => (cap === null ? n : Math.max(-cap, Math.min(cap, n)));

/**
 * The grade of one person: the top N percent of their branch (ties at the cut all in) are
 * excellent unless sanctioned; below failBelow unqualified; below basicBelow basic.
 */
export function gradeOf(g: Grading, total: number, rank: number, branchSize: number, sanctioned: boolean): Grade {
  if (total < g.failBelow) return 'unqualified';
  if (total < g.basicBelow) return 'basic';
  const cut = Math.floor((branchSize * g.excellentTopPercent) / 100);
  if (rank <= cut && !(g.excellentNoSanction && sanctioned)) return 'excellent';
  return 'qualified';
}
