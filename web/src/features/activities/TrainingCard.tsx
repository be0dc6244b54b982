import { useState } from 'react';
import { Button, Card, Checkbox, DatePicker, Input, Modal, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { activityLimits, type ActivityDetail, type ActivitySession, type Participant } from '@tongxin/contracts';
import { useActivityMutations } from './activitiesApi';
import { formatTime } from './labels';

/** Ticks who of the roster attended one session; saving sends every trainee, present or not. */
function SessionAttendanceModal({ a, session, onClose }: { a: ActivityDetail; session: ActivitySession | null; onClose: () => void }) {
  const { t } = useTranslation();
  const m = useActivityMutations(a.id);
  const [checked, setChecked] = useState<string[] | null>(null);
  if (!session) return null;
  const value = checked ?? session.presentIds;
  const close = () => {
    setChecked(null);
    onClose();
  };
  return (
    <Modal
      open
      title={t('activities.training.attendanceOf', { topic: session.topic })}
      onCancel={close}
      confirmLoading={m.sessionAttendance.isPending}
      okButtonProps={{ disabled: a.participants.length === 0, ...{ 'data-testid': 'session-attendance-save' } }}
      onOk={() =>
        void m.sessionAttendance
          .mutateAsync({ sessionId: session.id, items: a.participants.map((p) => ({ participantId: p.id, present: value.includes(p.id) })) })
          .then(close)
          .catch(() => undefined)
      }
    >
      <Checkbox.Group value={value} onChange={(v) => setChecked(v)} style={{ display: 'flex', flexDirection: 'column', gap: 4 }} data-testid="session-attendance">
        {a.participants.map((p) => (
          <Checkbox key={p.id} value={p.id}>
            {p.name}
            {p.categories.length > 0 && <Typography.Text type="secondary">{` · ${p.categories.join('、')}`}</Typography.Text>}
          </Checkbox>
        ))}
      </Checkbox.Group>
    </Modal>
  );
}

/** A training class: its sessions, attendance per session, and who completed the class. */
export function TrainingCard({ a }: { a: ActivityDetail }) {
  const { t } = useTranslation();
  const m = useActivityMutations(a.id);
  const [topic, setTopic] = useState('');
  const [time, setTime] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [ticking, setTicking] = useState<ActivitySession | null>(null);
  const training = a.training;
  if (!training) return null;
  const editable = a.canManage && a.status !== 'cancelled';
  const attended = (p: Participant) => training.sessions.filter((s) => s.presentIds.includes(p.id)).length;
  const completed = new Set(training.completedIds);
  const add = () => {
    const [start, end] = time ?? [null, null];
    if (!start || !end || !topic.trim()) return;
    void m.addSession
      .mutateAsync({ topic: topic.trim(), startsAt: start.toISOString(), endsAt: end.toISOString() })
      .then(() => {
        setTopic('');
        setTime(null);
      })
      .catch(() => undefined);
  };
  return (
    <Card
      size="small"
      title={t('activities.training.title')}
      style={{ marginTop: 12 }}
      extra={
        <Typography.Text data-testid="training-summary">
          {t('activities.training.summary', { sessions: training.sessions.length, needed: training.needed, completed: completed.size, roster: a.participants.length })}
        </Typography.Text>
      }
      data-testid="training-card"
    >
      {editable && (
        <Space wrap style={{ marginBottom: 8 }}>
          <Input
            placeholder={t('activities.training.sessionTopic')}
            value={topic}
            maxLength={activityLimits.topicMax}
            onChange={(e) => setTopic(e.target.value)}
            style={{ width: 220 }}
            data-testid="session-topic"
          />
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            value={time}
            onChange={(v) => setTime(v as [Dayjs | null, Dayjs | null] | null)}
            data-testid="session-time"
          />
          <Button type="primary" disabled={!topic.trim() || !time?.[0] || !time[1]} loading={m.addSession.isPending} onClick={add} data-testid="session-add">
            {t('activities.training.addSession')}
          </Button>
        </Space>
      )}
      <Table<ActivitySession>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={training.sessions}
        data-testid="sessions-table"
        columns={[
          { title: t('activities.training.sessionTopic'), dataIndex: 'topic' },
          { title: t('activities.list.time'), dataIndex: 'startsAt', width: 260, render: (_: string, s) => `${formatTime(s.startsAt)} ~ ${formatTime(s.endsAt)}` },
          {
            title: t('activities.training.present'),
            width: 110,
            render: (_: unknown, s) => (s.takenIds.length ? `${s.presentIds.length} / ${a.participants.length}` : <Tag>{t('activities.training.notTaken')}</Tag>),
          },
          {
            title: '',
            width: 170,
            render: (_: unknown, s) =>
              editable ? (
                <Space>
                  <Button size="small" onClick={() => setTicking(s)} data-testid="session-tick">
                    {t('activities.training.tick')}
                  </Button>
                  <Popconfirm title={t('activities.detail.remove')} onConfirm={() => m.deleteSession.mutate(s.id)}>
                    <Button size="small" danger type="link">
                      {t('activities.detail.remove')}
                    </Button>
                  </Popconfirm>
                </Space>
              ) : null,
          },
        ]}
      />
      {training.sessions.length > 0 && (
        <Table<Participant>
          style={{ marginTop: 12 }}
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={a.participants}
          data-testid="completion-table"
          columns={[
            { title: t('activities.list.name'), dataIndex: 'name' },
            { title: t('activities.training.category'), dataIndex: 'categories', render: (v: string[]) => v.join('、') },
            { title: t('activities.training.attended'), width: 110, render: (_: unknown, p) => `${attended(p)} / ${training.sessions.length}` },
            {
              title: t('activities.training.completion'),
              width: 100,
              render: (_: unknown, p) =>
                completed.has(p.id) ? <Tag color="green">{t('activities.training.completed')}</Tag> : <Tag>{t('activities.training.notCompleted')}</Tag>,
            },
          ]}
        />
      )}
      <SessionAttendanceModal key={ticking?.id ?? 'none'} a={a} session={ticking} onClose={() => setTicking(null)} />
    </Card>
  );
}
