import { useCallback, useMemo, useState } from 'react';
import { Button, Card, Col, Empty, Popconfirm, Row, Space, Spin, Switch, Tag, Tooltip, Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { DragOutlined, EditOutlined, PlusOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '@tongxin/contracts';
import { useCan, useCurrentUser } from '../../app/auth';
import { notifier } from '../../app/notify';
import { PeopleBrowser } from '../people/PeopleBrowser';
import { buildUnitForest, subtreeIds, useUnits, type UnitNode } from './units';
import { useUnitMutations } from './orgMutations';
import { UnitFormModal } from './UnitFormModal';
import { MoveUnitModal } from './MoveUnitModal';

type Dialog = { kind: 'create'; parent: OrgUnit } | { kind: 'edit'; unit: OrgUnit } | { kind: 'move'; unit: OrgUnit } | null;

export default function OrgPage() {
  const { t } = useTranslation();
  const canWrite = useCan('org.write');
  const canReadPeople = useCan('people.read');
  const [includeInactive, setIncludeInactive] = useState(false);
  const { data: units = [], isPending } = useUnits(includeInactive);
  const { setActive } = useUnitMutations();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  // collapsed rather than expanded keys: new units show up expanded without extra state
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialogState] = useState<Dialog>(null);
  // a fresh form per opening: antd keeps a form's values in its instance across openings
  const [dialogSession, setDialogSession] = useState(0);
  const setDialog = (d: Dialog) => {
    if (d) setDialogSession((n) => n + 1);
    setDialogState(d);
  };

  const me = useCurrentUser();
  const forest = useMemo(() => buildUnitForest(units), [units]);
  // Units inside the user's role scopes. Only a hint for the UI: the server decides, but
  // offering actions it will refuse (a 机关党委 clerk moving a unit under the department) is unkind.
  const inScope = useMemo(() => {
    const ids = new Set<string>();
    for (const role of me.roles) for (const id of subtreeIds(units, role.scopeUnitId)) ids.add(id);
    return ids;
  }, [me.roles, units]);
  // after a stale write (409) the list is refetched: dialogs then work on the new version
  const fresh = (u: OrgUnit) => units.find((x) => x.id === u.id) ?? u;
  const canPickParent = useCallback((u: OrgUnit) => inScope.has(u.id), [inScope]);
  const selected = units.find((u) => u.id === selectedId) ?? forest[0]?.unit ?? null;

  const treeData = useMemo(() => {
    const toNode = (n: UnitNode): TreeDataNode => ({
      key: n.unit.id,
      title: (
        <span data-testid="unit-node" data-unit-name={n.unit.name}>
          <span className={n.unit.active ? undefined : 'tx-unit-inactive'}>{n.unit.name}</span>{' '}
          <Tag variant="filled" style={{ marginInlineStart: 4 }}>
            {t(`unitType.${n.unit.type}`)}
          </Tag>
          {!n.unit.active && <Tag>{t('org.inactiveTag')}</Tag>}
        </span>
      ),
      children: n.children.map(toNode),
    });
    return forest.map(toNode);
  }, [forest, t]);

  const expandedKeys = useMemo(() => units.filter((u) => !collapsed.has(u.id)).map((u) => u.id), [units, collapsed]);

  const toggleActive = (unit: OrgUnit) =>
    setActive.mutate(
      { unit, active: !unit.active },
      { onSuccess: () => notifier().success(unit.active ? t('org.deactivated') : t('org.reactivated')) },
    );

  const writable = !!selected && inScope.has(selected.id);
  const toolbar = selected && canWrite && (
    <Space wrap size={4} data-testid="org-toolbar">
      <Button
        size="small"
        icon={<PlusOutlined />}
        disabled={!writable || !selected.active}
        onClick={() => setDialog({ kind: 'create', parent: selected })}
      >
        {t('org.createChild')}
      </Button>
      <Button
        size="small"
        icon={<EditOutlined />}
        disabled={!writable}
        onClick={() => setDialog({ kind: 'edit', unit: selected })}
      >
        {t('org.edit')}
      </Button>
      <Button
        size="small"
        icon={<DragOutlined />}
        disabled={!writable || !selected.parentId}
        onClick={() => setDialog({ kind: 'move', unit: selected })}
      >
        {t('org.move')}
      </Button>
      {selected.active ? (
        <Popconfirm
          title={t('org.confirmDeactivate', { name: selected.name })}
          onConfirm={() => toggleActive(selected)}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
        >
          <Button size="small" danger icon={<StopOutlined />} disabled={!writable || !selected.parentId}>
            {t('org.deactivate')}
          </Button>
        </Popconfirm>
      ) : (
        <Popconfirm
          title={t('org.confirmReactivate', { name: selected.name })}
          onConfirm={() => toggleActive(selected)}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
        >
          <Button size="small" icon={<UndoOutlined />} disabled={!writable}>
            {t('org.reactivate')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  );

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={canReadPeople ? 8 : 24} xxl={canReadPeople ? 6 : 24}>
        <Card
          title={t('org.title')}
          size="small"
          extra={
            <Tooltip title={t('org.showInactive')}>
              <Space size={4}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('org.showInactive')}
                </Typography.Text>
                <Switch
                  size="small"
                  checked={includeInactive}
                  onChange={setIncludeInactive}
                  aria-label={t('org.showInactive')}
                />
              </Space>
            </Tooltip>
          }
        >
          <Space orientation="vertical" style={{ width: '100%' }}>
            {toolbar}
            {isPending ? (
              <Spin />
            ) : treeData.length === 0 ? (
              <Empty description={t('org.empty')} />
            ) : (
              <div style={{ maxHeight: 'calc(100vh - 190px)', overflow: 'auto' }}>
                <Tree
                  blockNode
                  showLine
                  treeData={treeData}
                  selectedKeys={selected ? [selected.id] : []}
                  expandedKeys={expandedKeys}
                  onExpand={(_keys, info) => {
                    const id = String(info.node.key);
                    setCollapsed((prev) => {
                      const next = new Set(prev);
                      if (info.expanded) next.delete(id);
                      else next.add(id);
                      return next;
                    });
                  }}
                  onSelect={(keys) => {
                    const key = keys[0];
                    if (key !== undefined) setSelectedId(String(key));
                  }}
                  data-testid="org-tree"
                />
              </div>
            )}
          </Space>
        </Card>
      </Col>
      {canReadPeople && (
        <Col xs={24} lg={16} xxl={18}>
          <Card size="small" title={selected ? t('org.peopleOf', { name: selected.name }) : t('org.selectUnitHint')}>
            {selected ? <PeopleBrowser fixedUnit={selected} /> : <Empty description={t('org.selectUnitHint')} />}
          </Card>
        </Col>
      )}
      <UnitFormModal
        key={dialogSession}
        open={dialog?.kind === 'create' || dialog?.kind === 'edit'}
        parent={dialog?.kind === 'create' ? dialog.parent : undefined}
        unit={dialog?.kind === 'edit' ? fresh(dialog.unit) : undefined}
        onClose={() => setDialog(null)}
        onSaved={(u) => {
          if (dialog?.kind === 'create') {
            setSelectedId(u.id);
          }
        }}
      />
      <MoveUnitModal
        key={`move:${dialogSession}`}
        unit={dialog?.kind === 'move' ? fresh(dialog.unit) : null}
        units={units}
        canPick={canPickParent}
        onClose={() => setDialog(null)}
      />
    </Row>
  );
}
