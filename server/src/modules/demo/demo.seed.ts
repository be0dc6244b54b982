import { ensureTenantDefaults } from '../../commands/tenant-defaults.command';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/db';
import { hashPassword } from '../../platform/passwords';
import { tenants } from '../org/org.schema';
import { securityPolicies } from '../security/security.schema';
import { insertUnit } from '../org/org.repo';
import { insertPeople, type PersonInsert } from '../people/people.repo';
import { withCheckDigit } from '../people/people.mask';
import { sealNumbers } from '../people/people.service';
import { insertGrant, insertUser } from '../auth/auth.repo';
import { ensureBuiltinRoles } from '../auth/auth.service';
import { nameGenerator, prng } from './demo.names';
import { seedDemoPrograms } from '../programs/programs.demo';
import { seedUnitedFrontDemo } from '../contacts/contacts.demo';
import { seedPointsDemo } from '../points/points.demo';
import { seedActivitiesUnitedFrontDemo } from '../activities/activities.demo';
import { seedResearchIntegrityPublicityDemo } from '../research/research.demo';

export const DEMO_TENANT_CODE = 'demo';
export const DEMO_PASSWORD = 'Tongxin@2026';

export type DemoAccount = { username: string; role: string; scope: string };

/**
 * A department shaped like the reference report: offices, the organ Party committee with
 * its discipline committee, two branches of three Party groups each, about 40 people.
 * Returns the accounts created, or null when the demo tenant already exists.
 */
export async function seedDemo(db: Db): Promise<DemoAccount[] | null> {
  const existing = await db.select().from(tenants).where(eq(tenants.code, DEMO_TENANT_CODE)).limit(1);
  if (existing.length > 0) return null;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction(async (tx) => {
    const [tenant] = await tx.insert(tenants).values({ code: DEMO_TENANT_CODE, name: '示范市委统战部' }).returning();
    if (!tenant) throw new Error('tenant insert failed');
    const tenantId = tenant.id;
    // the demo can be walked through without an authenticator app; a real department keeps the default (required)
    await tx.insert(securityPolicies).values({ tenantId, totpRequired: false });
    const unit = async (parent: { id: string; path: string } | null, type: string, name: string, sortOrder: number) => {
      const id = randomUUID();
      return insertUnit(tx, { id, tenantId, parentId: parent?.id ?? null, type, name, sortOrder, path: `${parent?.path ?? '/'}${id}/` });
    };
    const root = await unit(null, 'department', '市委统战部', 0);
    const officeNames = ['办公室', '干部科', '党派工作科', '经济联络科', '民族宗教工作科', '港澳台侨工作科', '宣传研究室'];
    const offices = [];
    for (const [i, n] of officeNames.entries()) offices.push(await unit(root, 'office', n, i + 1));
    const committee = await unit(root, 'party_committee', '机关党委', 20);
    await unit(committee, 'discipline_committee', '机关纪委', 1);
    const branches = [];
    for (const [i, n] of ['第一党支部', '第二党支部'].entries()) {
      const b = await unit(committee, 'branch', n, i + 2);
      const groups = [];
      for (const [j, g] of ['第一党小组', '第二党小组', '第三党小组'].entries()) groups.push(await unit(b, 'party_group', g, j + 1));
      branches.push({ branch: b, groups });
    }

    const rnd = prng(2026);
    const nextName = nameGenerator(2026);
    const used = new Set<string>();
    const uniqueName = () => {
      for (;;) {
        const n = nextName();
        if (!used.has(n)) {
          used.add(n);
          return n;
        }
      }
    };
    const ethnicities = ['汉族', '汉族', '汉族', '汉族', '回族', '满族', '壮族', '蒙古族'];
    const rows: PersonInsert[] = [];
    const committeeRoles = ['secretary', 'deputy_secretary', 'organization', 'publicity', 'discipline'];
    for (let i = 0; i < 40; i++) {
      const b = branches[i % 2];
      const office = offices[i % offices.length];
      if (!b || !office) throw new Error('demo structure');
      const year = 1965 + Math.floor(rnd() * 35);
      const birth = `${year}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`;
      const gender = rnd() < 0.55 ? 'male' : 'female';
      // every 8th person is outside the Party, every 10th probationary
      const status = i % 8 === 7 ? 'none' : i % 10 === 9 ? 'probationary' : 'full';
      const joined = `${Math.min(year + 23 + Math.floor(rnd() * 8), 2025)}-07-01`;
      const idFirst17 = `320102${birth.replaceAll('-', '')}${String(100 + i).padStart(3, '0')}`;
      const idx = Math.floor(i / 2);
      rows.push({
        tenantId,
        officeId: office.id,
        name: uniqueName(),
        gender,
        birthDate: birth,
        ethnicity: ethnicities[Math.floor(rnd() * ethnicities.length)] ?? '汉族',
        ...sealNumbers(`13${String(800000000 + Math.floor(rnd() * 199999999)).slice(0, 9)}`, withCheckDigit(idFirst17)),
        partyStatus: status,
        partyJoinedOn: status === 'none' ? null : joined,
        fullMemberOn: status === 'full' ? joined.replace('-07-01', '-12-01').replace(/^(\d{4})/, (y) => String(Math.min(Number(y) + 1, 2025))) : null,
        branchId: status === 'none' ? null : b.branch.id,
        groupId: status === 'none' ? null : (b.groups[idx % 3]?.id ?? null),
        committeeRole: status === 'full' && idx < committeeRoles.length ? (committeeRoles[idx] ?? null) : null,
        // the first six are the department's leadership team
        isLeader: i < 6,
      });
    }
    const ids = await insertPeople(tx, rows);

    await ensureTenantDefaults(tx, tenantId);
    const roleIds = await ensureBuiltinRoles(tx, tenantId);
    const accounts: { username: string; displayName: string; role: string; scope: { id: string; name: string }; personIndex: number | null }[] = [
      { username: 'admin', displayName: '系统管理员', role: 'sys_admin', scope: root, personIndex: null },
      { username: 'security', displayName: '安全管理员', role: 'security_admin', scope: root, personIndex: null },
      { username: 'auditor', displayName: '审计管理员', role: 'audit_admin', scope: root, personIndex: null },
      { username: 'leader', displayName: rows[2]?.name ?? '部领导', role: 'dept_leader', scope: root, personIndex: 2 },
      { username: 'party', displayName: rows[4]?.name ?? '机关党委', role: 'party_staff', scope: committee, personIndex: 4 },
      { username: 'secretary1', displayName: rows[0]?.name ?? '书记', role: 'branch_secretary', scope: branches[0]?.branch ?? root, personIndex: 0 },
      { username: 'secretary2', displayName: rows[1]?.name ?? '书记', role: 'branch_secretary', scope: branches[1]?.branch ?? root, personIndex: 1 },
      { username: 'member1', displayName: rows[10]?.name ?? '党员', role: 'member', scope: branches[0]?.branch ?? root, personIndex: 10 },
    ];
    for (const a of accounts) {
      const user = await insertUser(tx, {
        tenantId,
        username: a.username,
        displayName: a.displayName,
        passwordHash,
        personId: a.personIndex === null ? null : (ids[a.personIndex] ?? null),
        // demo accounts skip the forced change so the demo can be walked through at once
        mustChangePassword: false,
        // the built-in administrator still takes a personal name at first sign-in, as in production
        mustRename: a.username === 'admin',
      });
      const roleId = roleIds.get(a.role);
      if (!roleId) throw new Error(`role ${a.role}`);
      await insertGrant(tx, { tenantId, userId: user.id, roleId, scopeUnitId: a.scope.id });
    }
    const unitedFront = await seedUnitedFrontDemo(tx, { tenantId, root, offices, passwordHash, roleIds });
    await seedActivitiesUnitedFrontDemo(tx, tenantId);
    await seedResearchIntegrityPublicityDemo(tx, tenantId);
    await seedDemoPrograms(tx, tenantId, root.id);
    // last: the points ledger is derived from the activities and people seeded above
    await seedPointsDemo(tx, tenantId);
    return [...accounts.map((a) => ({ username: a.username, role: a.role, scope: a.scope.name })), unitedFront];
  });
}
