import type { CalendarFeed } from '@tongxin/contracts';
import type { Db, Tx } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import type { Actor } from '../../platform/access';
import { blindIndex, sha256Hex } from '../../platform/crypto';
import { audit } from '../audit/audit.service';
import * as repo from './calendar.repo';
import { toIcs } from './calendar.ics';

export const FEED_PREFIX = '/api/v1/calendar/';
const TOKEN_RE = /^[0-9a-f]{64}$/;
/** how far back the feed reaches: a year of past activities and everything planned */
const FEED_HISTORY_MS = 366 * 86_400_000;

/**
 * The token is derived, not stored: a keyed hash (data key) of the user and the feed's
 * creation instant, so the URL can be shown again while the database holds only the
 * token's SHA-256 (a stolen database cannot rebuild URLs); a reset changes the instant.
 */
function tokenOf(userId: string, createdAt: Date): string {
  return blindIndex(`calendar-feed:${userId}:${createdAt.getTime()}`);
}

function feedOf(token: string): CalendarFeed {
  return { path: `${FEED_PREFIX}${token}.ics`, url: `${FEED_PREFIX}${token}.ics` };
}

/** The signed-in user's private feed URL; the first call creates it. */
export async function myFeed(db: Db, actor: Actor): Promise<CalendarFeed> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const existing = await repo.findFeedOfUser(tx, actor.tenantId, actor.userId);
    if (existing) {
      const token = tokenOf(actor.userId, existing.createdAt);
      // a data-key change invalidates derived tokens: issue a new one rather than show a dead URL
      if (sha256Hex(token) === existing.tokenHash) return feedOf(token);
    }
    return issue(tx, actor, existing ? 'calendar.feed.reissue' : 'calendar.feed.create');
  });
}

/** Replaces the token: the old URL answers 404 from now on. */
export async function resetFeed(db: Db, actor: Actor): Promise<CalendarFeed> {
  return inTenant(db, actor.tenantId, (tx) => issue(tx, actor, 'calendar.feed.reset'));
}

async function issue(tx: Tx, actor: Actor, action: string): Promise<CalendarFeed> {
  // millisecond precision survives the timestamptz column exactly, so the token can be derived again
  const createdAt = new Date(Date.now());
  const token = tokenOf(actor.userId, createdAt);
  await repo.upsertFeed(tx, { userId: actor.userId, tenantId: actor.tenantId, tokenHash: sha256Hex(token), createdAt });
  await audit(tx, actor, action, { type: 'calendar_feed', id: actor.userId });
  return feedOf(token);
}

/** The public feed: found by the token's hash, then read inside the owner's tenant. */
export async function feedIcs(db: Db, token: string, now = new Date()): Promise<string> {
  if (!TOKEN_RE.test(token)) throw new AppError('NOT_FOUND');
  const feed = await repo.findFeedByHash(db, sha256Hex(token));
  if (!feed) throw new AppError('NOT_FOUND');
  const events = feed.personId
    ? await inTenant(db, feed.tenantId, (tx) => repo.activitiesOfPerson(tx, feed.tenantId, feed.personId as string, new Date(now.getTime() - FEED_HISTORY_MS)))
    : [];
  return toIcs(`${feed.tenantName} 活动`, events, now);
}
