import path from 'node:path';
import type { Attachment } from '@tongxin/contracts';
import type { Db } from '../../platform/db/db';
import { AppError } from '../../platform/errors';
import { inTenant } from '../../platform/db/tenant';
import type { Actor } from '../../platform/access';
import { audit } from '../audit/audit.service';
import * as repo from './activities.repo';
import { loadManaged, loadVisible } from './activities.service';
import type { StoredFile } from '../../platform/files';

/** Checks the actor may add files before any byte is read. */
export async function assertCanAttach(db: Db, actor: Actor, id: string): Promise<void> {
  await inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    if (a.status === 'cancelled') throw new AppError('INVALID_STATE');
  });
}

export async function addAttachment(db: Db, actor: Actor, id: string, filename: string, stored: StoredFile): Promise<Attachment> {
  return inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    if (a.status === 'cancelled') throw new AppError('INVALID_STATE');
    // the name is only shown and offered on download; path parts and control characters go
    const safeName = (path.basename(filename.replaceAll('\\', '/')).replace(/\p{Cc}/gu, '') || 'file').slice(0, 255);
    const row = await repo.insertAttachment(tx, {
      tenantId: actor.tenantId,
      activityId: id,
      sha256: stored.sha256,
      filename: safeName,
      contentType: stored.contentType,
      size: stored.size,
      uploadedBy: actor.userId,
    });
    await audit(tx, actor, 'activities.attachment.add', { type: 'activity', id }, { attachmentId: row.id, filename: safeName, size: stored.size });
    return { id: row.id, filename: row.filename, contentType: row.contentType, size: row.size, createdAt: row.createdAt.toISOString() };
  });
}

export async function findDownload(db: Db, actor: Actor, id: string, attachmentId: string) {
  return inTenant(db, actor.tenantId, async (tx) => {
    await loadVisible(tx, actor, id);
    const att = await repo.findAttachment(tx, id, attachmentId);
    if (!att) throw new AppError('NOT_FOUND');
    return att;
  });
}

export async function removeAttachment(db: Db, actor: Actor, id: string, attachmentId: string): Promise<void> {
  await inTenant(db, actor.tenantId, async (tx) => {
    const a = await loadManaged(tx, actor, id);
    if (a.status === 'cancelled') throw new AppError('INVALID_STATE');
    // bytes stay in the store: another activity may share them (same hash)
    if (!(await repo.deleteAttachment(tx, id, attachmentId))) throw new AppError('NOT_FOUND');
    await audit(tx, actor, 'activities.attachment.remove', { type: 'activity', id }, { attachmentId });
  });
}
