import { remindDueDuties } from '../../modules/duties/duties.reminders.service';
import { remindActivityParticipants } from '../../modules/notifications/notifications.reminders.service';
import { notifyOverdueMeasures } from '../../modules/rectification/rectification.notify.service';
import { notifyOverdueRiskReviews } from '../../modules/integrity/integrity.notify.service';
import type { JobDefinition } from './jobs';

/** The app's scheduled jobs. Reruns are harmless: every notification carries a dedupe key. */
export const scheduledJobs: JobDefinition[] = [
  // hourly, so an activity planned today for tomorrow is still announced the day before
  { name: 'activity-reminders', cron: '5 * * * *', run: remindActivityParticipants },
  // daily in the morning: duties whose period ends within 7 days and are not yet met
  { name: 'duty-reminders', cron: '0 8 * * *', run: remindDueDuties },
  { name: 'rectification-overdue', cron: '30 8 * * *', run: notifyOverdueMeasures },
  // daily: owners of integrity risk points whose review date has passed (once per point and day)
  { name: 'integrity-review-overdue', cron: '40 8 * * *', run: notifyOverdueRiskReviews },
];
