import { useQuery } from '@tanstack/react-query';
import type { CheckedFigure, MetricDef, MetricResult, Period, PreviewResponse, Template } from '@tongxin/contracts';
import { api, apiBase, commonHeaders, errorFromResponse } from '../../app/api';

export const reportsKey = ['reports'] as const;

export type PeriodKind = 'year' | 'quarter' | 'month';

/** The period picker's state: a kind and a day inside the period (YYYY-MM-DD). */
export interface PeriodChoice {
  kind: PeriodKind;
  year: number;
  /** 1-12, for quarter and month */
  month: number;
}

export function periodOf(c: PeriodChoice): Period {
  if (c.kind === 'year') return { kind: 'year', year: c.year };
  if (c.kind === 'quarter') return { kind: 'quarter', year: c.year, quarter: Math.ceil(c.month / 3) };
  return { kind: 'month', year: c.year, month: c.month };
}

/** First and last day (inclusive) of the chosen period, as the ledgers take them. */
export function rangeOf(c: PeriodChoice): { from: string; to: string } {
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (c.kind === 'year') return { from: `${c.year}-01-01`, to: `${c.year}-12-31` };
  if (c.kind === 'quarter') {
    const first = Math.floor((c.month - 1) / 3) * 3 + 1;
    return { from: `${c.year}-${pad(first)}-01`, to: `${c.year}-${pad(first + 2)}-${lastDay(c.year, first + 2)}` };
  }
  return { from: `${c.year}-${pad(c.month)}-01`, to: `${c.year}-${pad(c.month)}-${lastDay(c.year, c.month)}` };
}

export function useMetrics() {
  return useQuery({ queryKey: [...reportsKey, 'metrics'], queryFn: ({ signal }) => api.get<MetricDef[]>('/reports/metrics', undefined, signal), staleTime: 300_000 });
}

export function useTemplates() {
  return useQuery({ queryKey: [...reportsKey, 'templates'], queryFn: ({ signal }) => api.get<Template[]>('/reports/templates', undefined, signal) });
}

export function usePreview(body: string | undefined, period: Period, unitIds: string[]) {
  return useQuery({
    queryKey: [...reportsKey, 'preview', body, period, unitIds],
    queryFn: () => api.post<PreviewResponse>('/reports/summaries/preview', { body, period, unitIds }),
    enabled: body !== undefined,
    // keep the last preview on screen while the next one is computed
    placeholderData: (prev) => prev,
  });
}

export function checkFigures(text: string, period: Period, unitIds: string[]) {
  return api.post<{ figures: CheckedFigure[] }>('/reports/figure-check', { text, period, unitIds });
}

/** Downloads the file a POST answers with, under the name the server gives. */
async function downloadPost(path: string, payload: unknown, fallbackName: string): Promise<void> {
  const headers = { ...commonHeaders('POST'), 'Content-Type': 'application/json' };
  const res = await fetch(`${apiBase}${path}`, { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(payload) });
  if (!res.ok) throw await errorFromResponse(res);
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = m?.[1] ? decodeURIComponent(m[1]) : fallbackName;
  a.click();
  URL.revokeObjectURL(a.href);
}

/** Downloads the DOCX (a POST: the body is the edited text). */
export function downloadDocx(body: string, period: Period, unitIds: string[]): Promise<void> {
  return downloadPost('/reports/summaries/docx', { body, period, unitIds }, 'work-summary.docx');
}

/** Every record behind a figure as XLSX: the figure's metric and applied filters over its own dates. */
export function downloadRecords(figure: Pick<MetricResult, 'metric' | 'filters' | 'from' | 'to'>, unitIds: string[]): Promise<void> {
  return downloadPost('/reports/metrics/records.xlsx', { metric: figure.metric, args: figure.filters, period: { kind: 'range', from: figure.from, to: figure.to }, unitIds }, 'records.xlsx');
}

/** Every record behind a duties or points bar of the dashboard as XLSX. */
export function downloadDashboardRecords(chart: 'duties' | 'points', key: string, period: Period, unitIds: string[]): Promise<void> {
  return downloadPost('/reports/dashboard/records.xlsx', { chart, key, period, unitIds }, 'records.xlsx');
}
