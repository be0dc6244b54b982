import type { CreatePublicityRequest, PublicityCountsSchema, PublicityItem, PublicityQuerySchema, UpdatePublicityRequest } from '@tongxin/contracts';
import type { z } from 'zod';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import { inScope, requirePermission, type Actor } from '../../platform/access';
import { audit } from '../audit/audit.service';
import { findUnitsByIds } from '../org/org.repo';
import * as repo from './publicity.repo';

type Counts = z.infer<typeof PublicityCountsSchema>;

function toItem(r: repo.PublicityRow): PublicityItem {
  return {
    id: r.id,
    officeId: r.officeId,
    title: r.title,
    channel: r.channel as PublicityItem['channel'],
    outlet: r.outlet,
    publishedOn: r.publishedOn,
    link: r.link,
    adoptedLevel: r.adoptedLevel as PublicityItem['adoptedLevel'],
    version: r.version,
  };
}

/** Edits an item; its date may not move into the future, its office must stay in the actor's scope. */
export async function updateItem(db: Db, actor: Actor, id: string, input: UpdatePublicityRequest): Promise<PublicityItem> {
  const scope = requirePermission(actor, 'unitedfront.write');
  if (input.publishedOn && input.publishedOn > new Date().toISOString().slice(0, 10)) throw new AppError('VALIDATION_FAILED', [{ path: 'publishedOn', problem: 'in the future' }]);
  return inTenant(db, actor.tenantId, async (tx) => {
    const before = await repo.findItem(tx, actor.tenantId, id);
    if (!before || !inScope(scope, before.officePath)) throw new AppError('NOT_FOUND');
    if (before.version !== input.version) throw new AppError('STALE_VERSION');
    if (input.officeId) {
      const [office] = await findUnitsByIds(tx, actor.tenantId, [input.officeId]);
      if (!office || !office.active) throw new AppError('VALIDATION_FAILED', [{ path: 'officeId', problem: 'not an active unit' }]);
      if (!inScope(scope, office.path)) throw new AppError('VALIDATION_FAILED', [{ path: 'officeId', problem: 'outside your scope' }]);
    }
    const { version, ...rest } = input;
    const set = {
      ...rest,
      ...(rest.outlet !== undefined ? { outlet: rest.outlet || null } : {}),
      ...(rest.link !== undefined ? { link: rest.link || null } : {}),
    };
    if (!(await repo.updateItemVersioned(tx, actor.tenantId, id, version, set))) throw new AppError('STALE_VERSION');
    await audit(tx, actor, 'publicity.update', { type: 'publicity_item', id }, { fields: Object.keys(rest) });
    const row = await repo.findItem(tx, actor.tenantId, id);
    if (!row) throw new AppError('INTERNAL');
    return toItem(row);
  });
}

export async function createItem(db: Db, actor: Actor, input: CreatePublicityRequest): Promise<PublicityItem> {
  const scope = requirePermission(actor, 'unitedfront.write');
  if (input.publishedOn > new Date().toISOString().slice(0, 10)) throw new AppError('VALIDATION_FAILED', [{ path: 'publishedOn', problem: 'in the future' }]);
  return inTenant(db, actor.tenantId, async (tx) => {
    const [office] = await findUnitsByIds(tx, actor.tenantId, [input.officeId]);
    if (!office || !office.active) throw new AppError('VALIDATION_FAILED', [{ path: 'officeId', problem: 'not an active unit' }]);
    if (!inScope(scope, office.path)) throw new AppError('VALIDATION_FAILED', [{ path: 'officeId', problem: 'outside your scope' }]);
    const row = await repo.insertItem(tx, {
      tenantId: actor.tenantId,
      officeId: input.officeId,
      title: input.title,
      channel: input.channel,
      outlet: input.outlet || null,
      publishedOn: input.publishedOn,
      link: input.link || null,
      adoptedLevel: input.adoptedLevel ?? null,
    });
    await audit(tx, actor, 'publicity.create', { type: 'publicity_item', id: row.id });
    return toItem(row);
  });
}

/** The items of a period with counts per channel and per adopting level. */
export async function listWithCounts(
  db: Db,
  actor: Actor,
  from?: string,
  to?: string,
  q: Pick<z.infer<typeof PublicityQuerySchema>, 'channel' | 'adoptedLevel'> = {},
): Promise<Counts> {
  const scope = requirePermission(actor, 'unitedfront.read');
  return inTenant(db, actor.tenantId, async (tx) => {
    // the filters narrow the list; the counts stay those of the whole period, so each figure can be clicked
    const items = (await repo.listItems(tx, actor.tenantId, scope, from, to, q.channel, q.adoptedLevel)).map(toItem);
    const c = await repo.countItems(tx, actor.tenantId, scope, from, to);
    return {
      items,
      byChannel: c.byChannel.map((x) => ({ channel: x.channel as PublicityItem['channel'] & string, count: x.count })),
      byAdoptedLevel: c.byLevel.map((x) => ({ level: x.level as NonNullable<PublicityItem['adoptedLevel']>, count: x.count })),
    };
  });
}
