import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Empty, Input, List, Modal, Popconfirm, Result, Space, Spin, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, QrcodeOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import type { ActivityDetail, Participant } from '@tongxin/contracts';
import { currentLanguage } from '../../app/i18n';
import { notifier } from '../../app/notify';
import { exportUrl, useActivity, useActivityMutations, useUploadAttachment, type AttendanceItem } from './activitiesApi';
import { ActivityFormModal, typeName } from './ActivityFormModal';
import { MinutesEditor } from './MinutesEditor';
import { PersonPicker } from './PersonPicker';
import { SigninQrModal } from './SigninQrModal';
import { ContactPicker } from './RegistryPickers';
import { TrainingCard } from './TrainingCard';
import { OpenCaseButton } from './OpenCaseButton';
import { useCan } from '../../app/auth';
import { attendanceColors, formatTime, statusColors } from './labels';

function AskLeave({ a }: { a: ActivityDetail }) {
  const { t } = useTranslation();
  const m = useActivityMutations(a.id);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!a.me || a.status !== 'planned' || Date.parse(a.startsAt) <= Date.now() || a.me.leaveStatus) return null;
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('activities.detail.myLeave')}</Button>
      <Modal
        open={open}
        title={t('activities.detail.myLeave')}
        onCancel={() => setOpen(false)}
        okButtonProps={{ disabled: !reason.trim() }}
        confirmLoading={m.requestLeave.isPending}
        onOk={() => void m.requestLeave.mutateAsync(reason.trim()).then(() => setOpen(false)).catch(() => undefined)}
      >
        <Input.TextArea rows={3} maxLength={500} placeholder={t('activities.detail.leaveReason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </>
  );
}

function ParticipantsCard({ a }: { a: ActivityDetail }) {
  const { t } = useTranslation();
  const m = useActivityMutations(a.id);
  const [selected, setSelected] = useState<string[]>([]);
  const [adding, setAdding] = useState<string[]>([]);
  const editable = a.canManage && a.status !== 'cancelled' && a.takesAttendance;
  const [addingContacts, setAddingContacts] = useState<string[]>([]);
  const canReadRegistry = useCan('unitedfront.read');
  // a training class with sessions takes attendance per session (the sessions card)
  const bySessions = a.category === 'training' && (a.training?.sessions.length ?? 0) > 0;
  const setAll = (attendance: AttendanceItem['attendance']) => {
    if (selected.length === 0) {
      notifier().warning(t('activities.detail.selectFirst'));
      return;
    }
    const items = a.participants
      .filter((p) => selected.includes(p.id))
      .map((p): AttendanceItem => (p.personId ? { personId: p.personId, attendance } : { contactId: p.contactId ?? '', attendance }));
    void m.attendance
      .mutateAsync(items)
      .then(() => setSelected([]))
      .catch(() => undefined);
  };
  const columns = [
    { title: t('activities.list.name'), dataIndex: 'name' },
    { title: t('activities.list.unit'), dataIndex: 'unitName', responsive: ['md' as const] },
    { title: '', dataIndex: 'role', width: 70, render: (v: Participant['role']) => (v === 'participant' ? null : <Tag>{t(`activities.role.${v}`)}</Tag>) },
    {
      title: '',
      dataIndex: 'partyStatus',
      width: 140,
      // a contact of the registry shows their united-front categories instead
      render: (v: Participant['partyStatus'], r: Participant) =>
        r.contactId ? (
          <Space size={2} wrap>
            {(r.categories.length ? r.categories : [t('activities.detail.contact')]).map((c) => (
              <Tag key={c} color="purple">
                {c}
              </Tag>
            ))}
          </Space>
        ) : (
          t(`activities.party.${v}`)
        ),
    },
    {
      title: t('activities.list.attendance'),
      dataIndex: 'attendance',
      width: 90,
      render: (v: Participant['attendance']) => <Tag color={attendanceColors[v]}>{t(`activities.attendance.${v}`)}</Tag>,
    },
    {
      title: t('activities.detail.signedInAt'),
      dataIndex: 'signedInAt',
      width: 170,
      render: (v: string | null, r: Participant) => (v ? `${formatTime(v)}${r.signInMethod ? ` · ${t(`activities.detail.method.${r.signInMethod}`)}` : ''}` : ''),
    },
    {
      title: t('activities.detail.leaveReason'),
      dataIndex: 'leaveReason',
      render: (v: string | null, r: Participant) =>
        r.leaveStatus ? (
          <Space size={4} wrap>
            <span>{v}</span>
            <Tag>{t(`activities.leaveStatus.${r.leaveStatus}`)}</Tag>
            {editable && r.leaveStatus === 'requested' && r.personId && (
              <>
                <Button size="small" type="link" onClick={() => m.decideLeave.mutate({ personId: r.personId ?? '', approve: true })}>
                  {t('activities.detail.approve')}
                </Button>
                <Button size="small" type="link" danger onClick={() => m.decideLeave.mutate({ personId: r.personId ?? '', approve: false })}>
                  {t('activities.detail.reject')}
                </Button>
              </>
            )}
          </Space>
        ) : null,
    },
  ];
  return (
    <Card size="small" title={t('activities.detail.participants')} style={{ marginTop: 12 }}>
      {a.status === 'recorded' && a.canManage && <Alert type="info" showIcon message={t('activities.detail.correctionNote')} style={{ marginBottom: 8 }} />}
      {editable && (
        <Space wrap style={{ marginBottom: 8 }}>
          {!bySessions && (
            <>
              <span>{t('activities.detail.setSelected')}</span>
              {(['present', 'leave', 'absent'] as const).map((s) => (
                <Button key={s} size="small" onClick={() => setAll(s)} loading={m.attendance.isPending} data-testid={`mark-${s}`}>
                  {t(`activities.attendance.${s}`)}
                </Button>
              ))}
            </>
          )}
          <div style={{ width: 260 }}>
            <PersonPicker value={adding} onChange={setAdding} />
          </div>
          <Button
            size="small"
            disabled={adding.length === 0}
            onClick={() => void m.addPeople.mutateAsync({ personIds: adding }).then(() => setAdding([])).catch(() => undefined)}
          >
            {t('activities.detail.addPeople')}
          </Button>
          {canReadRegistry && (
            <>
              <div style={{ width: 260 }}>
                <ContactPicker value={addingContacts} onChange={setAddingContacts} testId="add-contacts" />
              </div>
              <Button
                size="small"
                disabled={addingContacts.length === 0}
                data-testid="add-contacts-button"
                onClick={() => void m.addPeople.mutateAsync({ contactIds: addingContacts }).then(() => setAddingContacts([])).catch(() => undefined)}
              >
                {t('activities.detail.addContacts')}
              </Button>
            </>
          )}
        </Space>
      )}
      {bySessions && <Alert type="info" showIcon message={t('activities.training.followsSessions')} style={{ marginBottom: 8 }} />}
      <Table<Participant>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={a.participants}
        columns={columns}
        rowSelection={editable && !bySessions ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) } : undefined}
        data-testid="participants-table"
      />
    </Card>
  );
}

function MinutesCard({ a }: { a: ActivityDetail }) {
  const { t } = useTranslation();
  const m = useActivityMutations(a.id);
  const upload = useUploadAttachment(a.id);
  const [html, setHtml] = useState<string | null>(null);
  const editable = a.canManage && a.status !== 'cancelled';
  return (
    <Card size="small" title={t('activities.detail.minutes')} style={{ marginTop: 12 }}>
      {editable ? (
        <>
          <MinutesEditor initialHtml={a.minutesHtml ?? ''} onChange={setHtml} />
          <Button
            type="primary"
            style={{ marginTop: 8 }}
            disabled={html === null}
            loading={m.minutes.isPending}
            data-testid="minutes-save"
            onClick={() =>
              void m.minutes
                .mutateAsync({ version: a.version, html: html ?? '' })
                .then(() => {
                  setHtml(null);
                  notifier().success(t('activities.detail.minutesSaved'));
                })
                .catch(() => undefined)
            }
          >
            {t('activities.detail.saveMinutes')}
          </Button>
        </>
      ) : a.minutesHtml ? (
        // the server's sanitised copy (allowlist of formatting tags, no scripts or handlers)
        <div data-testid="minutes-view" dangerouslySetInnerHTML={{ __html: a.minutesHtml }} />
      ) : (
        <Empty description={t('activities.detail.noMinutes')} />
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('activities.detail.attachments')}
      </Typography.Title>
      {editable && (
        <Upload
          showUploadList={false}
          customRequest={({ file, onSuccess, onError }) => {
            upload
              .mutateAsync(file as File)
              .then((r) => onSuccess?.(r))
              .catch((e: unknown) => onError?.(e instanceof Error ? e : new Error(String(e))));
          }}
        >
          <Button icon={<UploadOutlined />} loading={upload.isPending}>
            {t('activities.detail.upload')}
          </Button>
          <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
            {t('activities.detail.uploadHelp')}
          </Typography.Text>
        </Upload>
      )}
      <List
        size="small"
        dataSource={a.attachments}
        renderItem={(f) => (
          <List.Item
            actions={
              editable
                ? [
                    <Popconfirm key="rm" title={t('activities.detail.remove')} onConfirm={() => m.removeAttachment.mutate(f.id)}>
                      <a>{t('activities.detail.remove')}</a>
                    </Popconfirm>,
                  ]
                : []
            }
          >
            <a href={exportUrl(`/activities/${a.id}/attachments/${f.id}`)}>{f.filename}</a>
            <Typography.Text type="secondary">{` ${(f.size / 1024).toFixed(0)} KB`}</Typography.Text>
          </List.Item>
        )}
      />
    </Card>
  );
}

export default function ActivityDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [qr, setQr] = useState(false);
  const q = useActivity(id, qr);
  const m = useActivityMutations(id);
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  if (q.isPending) return <Spin />;
  if (!q.data) return <Result status="404" extra={<Button onClick={() => void navigate('/activities')}>{t('activities.detail.back')}</Button>} />;
  const a = q.data;
  const en = currentLanguage() === 'en';
  const live = a.status === 'planned' || a.status === 'held';
  return (
    <>
      <Card
        size="small"
        title={
          <Space>
            <span data-testid="activity-topic">{a.topic}</span>
            <Tag color={statusColors[a.status]} data-testid="activity-status">
              {t(`activities.status.${a.status}`)}
            </Tag>
          </Space>
        }
        extra={
          <Space wrap>
            <Button onClick={() => void navigate('/activities')}>{t('activities.detail.back')}</Button>
            <AskLeave a={a} />
            <Button icon={<DownloadOutlined />} href={exportUrl(`/activities/${a.id}/signin-sheet.xlsx`)}>
              {t('activities.detail.signinSheet')}
            </Button>
            {a.canManage && live && a.takesAttendance && (
              <Button icon={<QrcodeOutlined />} onClick={() => setQr(true)} data-testid="show-qr">
                {t('activities.detail.showQr')}
              </Button>
            )}
            {a.category === 'visit' && a.status !== 'cancelled' && <OpenCaseButton a={a} />}
            {a.canManage && a.status !== 'cancelled' && <Button onClick={() => setEditing(true)}>{t('activities.detail.edit')}</Button>}
            {a.canManage && a.status === 'planned' && (
              <Button onClick={() => m.transition.mutate({ version: a.version, status: 'held' })} data-testid="mark-held">
                {t('activities.detail.held')}
              </Button>
            )}
            {a.canManage && a.status === 'held' && (
              <Button type="primary" onClick={() => m.transition.mutate({ version: a.version, status: 'recorded' })} data-testid="mark-recorded">
                {t('activities.detail.recorded')}
              </Button>
            )}
            {a.canManage && live && (
              <Button danger onClick={() => setCancelling(true)}>
                {t('activities.detail.cancel')}
              </Button>
            )}
          </Space>
        }
      >
        {a.status === 'cancelled' && <Alert type="warning" showIcon message={t('activities.detail.cancelled', { reason: a.cancelReason ?? '' })} style={{ marginBottom: 8 }} />}
        <Descriptions size="small" column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('activities.form.type')}>{typeName({ nameZh: a.typeNameZh, nameEn: a.typeNameEn })}</Descriptions.Item>
          <Descriptions.Item label={t('activities.form.unit')}>{a.unitName}</Descriptions.Item>
          <Descriptions.Item label={t('activities.form.time')}>{`${formatTime(a.startsAt)} ~ ${formatTime(a.endsAt)}`}</Descriptions.Item>
          <Descriptions.Item label={t('activities.form.place')}>{a.place ?? '—'}</Descriptions.Item>
          {a.typeFields.map((f) => {
            const v = a.extra[f.key];
            const opt = f.options?.find((o) => o.value === v);
            return (
              <Descriptions.Item key={f.key} label={en ? f.labelEn : f.labelZh}>
                {opt ? (en ? opt.labelEn : opt.labelZh) : v === undefined || v === null ? '—' : String(v)}
              </Descriptions.Item>
            );
          })}
          {a.quorumRule !== 'none' && (
            <Descriptions.Item label={t('activities.list.quorum')}>
              <Tag color={a.valid ? 'green' : 'red'} data-testid="activity-quorum">
                {a.valid ? t('activities.valid') : t('activities.invalid')}
              </Tag>
              {t('activities.quorumText', { eligible: a.quorumEligible ?? 0, present: a.quorumPresent ?? 0 })}
            </Descriptions.Item>
          )}
          {a.programItems.length > 0 && (
            <Descriptions.Item label={t('activities.form.programItems')} span={2}>
              <Space wrap size={[4, 4]} data-testid="activity-program-links">
                {a.programItems.map((x) => (
                  <Tag key={x.id}>
                    <Link to={`/programs/${x.programId}`}>{`${x.programTitle} · ${x.title}`}</Link>
                  </Tag>
                ))}
              </Space>
            </Descriptions.Item>
          )}
          {a.enterprises.length > 0 && (
            <Descriptions.Item label={t('activities.form.enterprises')} span={2}>
              <Space wrap size={[4, 4]} data-testid="activity-enterprises-view">
                {a.enterprises.map((x) => (
                  <Tag key={x.id} color="blue">
                    {x.name}
                  </Tag>
                ))}
              </Space>
            </Descriptions.Item>
          )}
          {a.content && <Descriptions.Item label={t('activities.form.content')} span={2}>{a.content}</Descriptions.Item>}
        </Descriptions>
      </Card>
      {a.training && <TrainingCard a={a} />}
      <ParticipantsCard a={a} />
      <MinutesCard a={a} />
      <ActivityFormModal open={editing} activity={a} onClose={() => setEditing(false)} onSaved={() => setEditing(false)} />
      <SigninQrModal id={a.id} topic={a.topic} open={qr} onClose={() => setQr(false)} />
      <Modal
        open={cancelling}
        title={t('activities.detail.cancel')}
        onCancel={() => setCancelling(false)}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        onOk={() => void m.cancel.mutateAsync({ version: a.version, reason: reason.trim() }).then(() => setCancelling(false)).catch(() => undefined)}
      >
        <Input.TextArea rows={3} maxLength={500} placeholder={t('activities.detail.cancelReason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </>
  );
}
