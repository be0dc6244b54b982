// All tables, for drizzle's relational API and drizzle-kit.
export * from '../../modules/org/org.schema';
export * from '../../modules/people/people.schema';
export * from '../../modules/auth/auth.schema';
export * from '../../modules/audit/audit.schema';
export * from '../../modules/security/security.schema';
export * from '../../modules/activities/activities.schema';
export * from '../../modules/duties/duties.schema';
export * from '../../modules/notifications/notifications.schema';
export * from '../../modules/calendar/calendar.schema';
export * from '../../modules/points/points.schema';
export * from '../../modules/programs/programs.schema';
export * from '../../modules/feedback/feedback.schema';
export * from '../../modules/rectification/rectification.schema';
export * from '../../modules/contacts/contacts.schema';
export * from '../../modules/enterprises/enterprises.schema';
export * from '../../modules/reports/reports.schema';
