import { useMemo, useState } from 'react';
import { Form, Modal, TreeSelect, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrgUnit } from '@tongxin/contracts';
import { buildUnitForest, subtreeIds, unitTreeSelectData } from './units';
import { useUnitMutations } from './orgMutations';
import { notifier } from '../../app/notify';

export function MoveUnitModal({
  unit,
  units,
  canPick,
  onClose,
}: {
  unit: OrgUnit | null;
  units: readonly OrgUnit[];
  /** units the user may move things under */
  canPick: (u: OrgUnit) => boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { move } = useUnitMutations();
  const [parentId, setParentId] = useState<string | undefined>(unit?.parentId ?? undefined);

  const treeData = useMemo(() => {
    if (!unit) return [];
    // a unit cannot go below itself; the server checks this too (INVALID_MOVE)
    const own = subtreeIds(units, unit.id);
    const forest = buildUnitForest(units.filter((u) => u.active));
    return unitTreeSelectData(forest, canPick, (u) => own.has(u.id));
  }, [unit, units, canPick]);

  return (
    <Modal
      open={!!unit}
      title={t('org.moveTitle')}
      onCancel={onClose}
      okButtonProps={{ disabled: !parentId || parentId === unit?.parentId }}
      confirmLoading={move.isPending}
      onOk={() => {
        if (!unit || !parentId) return;
        move.mutate(
          { id: unit.id, version: unit.version, parentId },
          {
            onSuccess: () => {
              notifier().success(t('org.moved'));
              onClose();
            },
          },
        );
      }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('org.name')}>
          <Typography.Text strong>{unit?.name}</Typography.Text>
        </Form.Item>
        <Form.Item label={t('org.newParent')} required>
          <TreeSelect
            value={parentId}
            onChange={(v: string) => setParentId(v)}
            treeData={treeData}
            treeDefaultExpandAll
            showSearch={{ treeNodeFilterProp: 'title' }}
            style={{ width: '100%' }}
            data-testid="move-parent"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
