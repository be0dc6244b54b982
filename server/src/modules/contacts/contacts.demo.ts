import type { Tx } from '../../platform/db/db';
import { insertGrant, insertUser } from '../auth/auth.repo';
import { withCheckDigit } from '../people/people.mask';
import { insertEnterprise, setEnterpriseContacts } from '../enterprises/enterprises.repo';
import { insertCase, insertFollowup } from '../cases/cases.repo';
import { insertCategoryLinks, insertContacts, listCategories, listParties } from './contacts.repo';
import { sealedRow, type ContactFields } from './contacts.service';

type Unit = { id: string; name: string };

/**
 * The demo department's united-front records: an account of the united-front staff over
 * the whole department, ten contacts of several categories, three enterprises and two service cases.
 */
export async function seedUnitedFrontDemo(
  tx: Tx,
  o: { tenantId: string; root: Unit; offices: Unit[]; passwordHash: string; roleIds: Map<string, string> },
): Promise<{ username: string; role: string; scope: string }> {
  const { tenantId } = o;
  const user = await insertUser(tx, { tenantId, username: 'tongzhan', displayName: '统战干部', passwordHash: o.passwordHash, personId: null, mustChangePassword: false });
  const roleId = o.roleIds.get('uf_staff');
  if (!roleId) throw new Error('role uf_staff');
  await insertGrant(tx, { tenantId, userId: user.id, roleId, scopeUnitId: o.root.id });

  const categories = new Map((await listCategories(tx, tenantId)).map((c) => [c.code, c.id]));
  const parties = new Map((await listParties(tx, tenantId)).map((p) => [p.name, p.id]));
  const office = (name: string) => o.offices.find((u) => u.name === name)?.id ?? o.root.id;
  const cat = (code: string) => categories.get(code) ?? '';
  const people: [string, string, string[], string | null, string, string][] = [
    ['林清远', '党派工作科', ['democratic_party', 'intellectual'], '民盟', '市第一中学', '副校长'],
    ['陈慧敏', '党派工作科', ['democratic_party'], '九三学社', '市中心医院', '主任医师'],
    ['黄志诚', '党派工作科', ['democratic_party'], '民建', '志诚贸易有限公司', '董事长'],
    ['周文博', '党派工作科', ['non_party', 'intellectual'], null, '市社科院', '研究员'],
    ['郑海峰', '经济联络科', ['private_economy'], null, '海峰科技有限公司', '总经理'],
    ['吴丽华', '经济联络科', ['new_social_stratum'], null, '丽华律师事务所', '主任'],
    ['王建台', '港澳台侨工作科', ['hk_macao_taiwan', 'private_economy'], null, '闽台精密机械有限公司', '董事长'],
    ['李侨生', '港澳台侨工作科', ['overseas_chinese'], null, '侨联', '副主席'],
    ['马明德', '民族宗教工作科', ['ethnic_minority'], null, '市伊斯兰教协会', '会长'],
    ['释妙音', '民族宗教工作科', ['religious'], null, '某寺', '住持'],
  ];
  const rows: ContactFields[] = people.map(([name, off, cats, party, organisation, post], i) => ({
    name,
    gender: i % 3 === 1 ? 'female' : 'male',
    ethnicity: cats.includes('ethnic_minority') ? '回族' : '汉族',
    birthDate: `19${60 + i}-0${1 + (i % 9)}-15`,
    officeId: office(off),
    categoryIds: cats.map(cat),
    partyId: party ? (parties.get(party) ?? null) : null,
    partyJoinedOn: party ? `20${String(5 + i).padStart(2, '0')}-07-01` : null,
    organisation,
    post,
    arrangements: i % 4 === 0 ? [{ kind: 'cppcc_member', level: 'city' }] : [],
    phone: `1390591${String(1000 + i)}`,
    idNumber: withCheckDigit(`35010219${60 + i}0${1 + (i % 9)}15${String(100 + i)}`),
    tags: i < 3 ? ['重点联系'] : [],
    notes: null,
  }));
  const ids = await insertContacts(tx, rows.map((f) => ({ ...sealedRow(f), tenantId })));
  await insertCategoryLinks(
    tx,
    rows.flatMap((f, i) => f.categoryIds.map((categoryId) => ({ tenantId, contactId: ids[i] ?? '', categoryId }))),
  );
  const enterprises: [string, string, string, string, number][] = [
    ['闽台精密机械有限公司', '91350100M000100Y43', 'taiwan_funded', '制造业', 6],
    ['海峰科技有限公司', '91440300708461136T', 'private', '软件和信息技术服务业', 4],
    ['志诚贸易有限公司', '91110000100017643K', 'private', '批发和零售业', 2],
  ];
  const enterpriseIds: string[] = [];
  for (const [name, creditCode, type, industry, contactIndex] of enterprises) {
    const id = await insertEnterprise(tx, { tenantId, officeId: office('经济联络科'), name, creditCode, type, industry, district: '鼓楼区' });
    enterpriseIds.push(id);
    const contactId = ids[contactIndex];
    if (contactId) await setEnterpriseContacts(tx, tenantId, id, [{ contactId, role: '董事长' }]);
  }
  // two problems raised during visits: one resolved, one being coordinated
  const [taiwanId, techId] = enterpriseIds;
  if (taiwanId && techId) {
    const base = { tenantId, officeId: office('经济联络科'), requesterType: 'enterprise', project: '贴心服务助台企', category: '用工' };
    const resolved = await insertCase(tx, {
      ...base,
      enterpriseId: taiwanId,
      problem: '技术工人招聘困难',
      departments: ['市人社局'],
      status: 'resolved',
      result: '协调市人社局举办专场招聘会，招到技术工人 30 名',
      satisfaction: 'satisfied',
      raisedOn: '2026-03-12',
      closedOn: '2026-04-20',
    });
    await insertFollowup(tx, { tenantId, caseId: resolved, note: '已对接市人社局', status: 'coordinating', byName: '统战干部' });
    await insertFollowup(tx, { tenantId, caseId: resolved, note: '专场招聘会已举办', status: 'resolved', byName: '统战干部' });
    await insertCase(tx, { ...base, enterpriseId: techId, project: null, category: '融资', problem: '研发贷款贴息申请', departments: ['市科技局', '市财政局'], status: 'coordinating', raisedOn: '2026-05-08' });
  }
  return { username: 'tongzhan', role: 'uf_staff', scope: o.root.name };
}
