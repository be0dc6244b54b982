import ical, { ICalEventStatus } from 'ical-generator';
import type { FeedEvent } from './calendar.repo';

/**
 * Writes the feed as RFC 5545 with ical-generator, which emits CRLF line endings, folds
 * lines at 75 octets, escapes , ; \ and newlines, and writes times in UTC (…Z).
 */
export function toIcs(calName: string, events: FeedEvent[], now: Date): string {
  const cal = ical({ name: calName, prodId: { company: 'tongxin', product: 'activities', language: 'ZH' }, ttl: 3600 });
  for (const e of events) {
    cal.createEvent({
      id: `${e.id}@tongxin`,
      stamp: now,
      lastModified: e.updatedAt,
      start: e.startsAt,
      end: e.endsAt,
      summary: `${e.typeNameZh}：${e.topic}`,
      location: e.place ?? undefined,
      description: [e.unitName, e.content ?? ''].filter(Boolean).join('\n'),
      status: e.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}
