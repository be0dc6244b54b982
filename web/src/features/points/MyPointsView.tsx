import { useState } from 'react';
import { Alert, Button, Card, Col, Input, List, Modal, Row, Spin, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Entry, Notice } from '@tongxin/contracts';
import { isApiError } from '../../app/api';
import { notifier } from '../../app/notify';
import { EntriesTable } from './EntriesTable';
import { useMyPoints, useNoticeEntries, useRaiseObjection } from './pointsApi';
import { formatTime, signed } from './labels';

function ObjectModal({ notice, personId, onClose }: { notice: Notice; personId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const entries = useNoticeEntries(notice.id, personId);
  const raise = useRaiseObjection();
  const [target, setTarget] = useState<Entry | null>(null);
  const [text, setText] = useState('');
  const windowOpen = notice.status === 'published' && new Date(notice.windowEndsAt) > new Date();
  return (
    <Modal open title={`${notice.branchName} ${notice.quarter}`} onCancel={onClose} footer={null} width={720} data-testid="notice-modal">
      <Typography.Paragraph type="secondary">
        {t('points.cols.windowEndsAt')}：{formatTime(notice.windowEndsAt)}
      </Typography.Paragraph>
      <EntriesTable
        entries={entries.data ?? []}
        loading={entries.isPending}
        action={(e) =>
          windowOpen ? (
            <Button size="small" onClick={() => setTarget(e)} data-testid="object-button">
              {t('points.notices.object')}
            </Button>
          ) : null
        }
      />
      <Modal
        open={!!target}
        title={t('points.notices.object')}
        onCancel={() => setTarget(null)}
        okButtonProps={{ disabled: !text.trim(), loading: raise.isPending, id: 'object-submit' }}
        onOk={() =>
          target &&
          raise.mutate(
            { noticeId: notice.id, entryId: target.id, text: text.trim() },
            {
              onSuccess: () => {
                notifier().success(t('points.notices.raised'));
                setTarget(null);
                setText('');
              },
            },
          )
        }
      >
        <Input.TextArea rows={3} maxLength={1000} placeholder={t('points.notices.objectText')} value={text} onChange={(e) => setText(e.target.value)} data-testid="object-text" />
      </Modal>
    </Modal>
  );
}

/** "My points": one column, readable on a phone. */
export function MyPointsView() {
  const { t } = useTranslation();
  const me = useMyPoints();
  const [notice, setNotice] = useState<Notice | null>(null);
  if (me.isPending) return <Spin />;
  if (isApiError(me.error) && me.error.code === 'NOT_FOUND') return <Alert type="info" showIcon message={t('points.me.notLinked')} />;
  if (!me.data) return null;
  const d = me.data;
  return (
    <div data-testid="my-points">
      <Row gutter={[8, 8]}>
        <Col xs={12} sm={8}>
          <Card size="small">
            <Statistic title={`${t('points.me.month')}（${d.month}）`} value={d.monthTotal} data-testid="my-month-total" />
            <Typography.Text type="secondary">{t('points.me.points', { n: signed(d.monthPoints) })}</Typography.Text>
          </Card>
        </Col>
        <Col xs={12} sm={8}>
          <Card size="small">
            <Statistic title={t('points.me.year')} value={d.yearTotal} data-testid="my-year-total" />
            <Typography.Text type="secondary">{t('points.me.points', { n: signed(d.yearPoints) })}</Typography.Text>
          </Card>
        </Col>
        <Col xs={24} sm={8}>
          <Card size="small">
            <Statistic title={t('points.me.rank')} value={d.rankInBranch ? t('points.me.rankOf', { rank: d.rankInBranch, size: d.branchSize }) : t('points.me.noRank')} />
          </Card>
        </Col>
      </Row>
      {d.notices.length > 0 && (
        <Card size="small" title={t('points.me.notices')} style={{ marginTop: 8 }}>
          <List
            size="small"
            dataSource={d.notices}
            renderItem={(n) => (
              <List.Item
                data-testid="my-notice"
                actions={[
                  <Button key="open" size="small" onClick={() => setNotice(n)} data-testid="my-notice-open">
                    {t('points.notices.open')}
                  </Button>,
                ]}
              >
                {n.quarter} <Tag color={n.status === 'closed' ? 'default' : 'processing'}>{t(`points.notices.status.${n.status}`)}</Tag>
              </List.Item>
            )}
          />
        </Card>
      )}
      {d.objections.length > 0 && (
        <Card size="small" title={t('points.me.objections')} style={{ marginTop: 8 }}>
          <List
            size="small"
            dataSource={d.objections}
            renderItem={(o) => (
              <List.Item data-testid="my-objection">
                <div>
                  <div>
                    {o.text} <Tag data-testid="my-objection-status">{t(`points.notices.objStatus.${o.status}`)}</Tag>
                  </div>
                  {o.answer && <Typography.Text type="secondary">{t('points.cols.answer')}：{o.answer}</Typography.Text>}
                </div>
              </List.Item>
            )}
          />
        </Card>
      )}
      <Card size="small" title={t('points.me.entries')} style={{ marginTop: 8 }}>
        <EntriesTable entries={d.entries} />
      </Card>
      {notice && <ObjectModal notice={notice} personId={d.personId} onClose={() => setNotice(null)} />}
    </div>
  );
}

/** /m/points: the phone page, outside the shell. */
export default function MyPointsMobilePage() {
  const { t } = useTranslation();
  return (
    <div style={{ maxWidth: 480, margin: '0 auto', padding: 12 }}>
      <Typography.Title level={4}>{t('points.tabs.me')}</Typography.Title>
      <MyPointsView />
    </div>
  );
}
