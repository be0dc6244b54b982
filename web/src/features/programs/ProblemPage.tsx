import { useState } from 'react';
import { Alert, Button, Card, Checkbox, DatePicker, Descriptions, Form, Input, InputNumber, List, Modal, Progress, Select, Space, Tag, Typography, Upload } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import dayjs, { type Dayjs } from 'dayjs';
import { measureStatuses, problemSources, type Measure, type ProblemDetail } from '@tongxin/contracts';
import { api } from '../../app/api';
import { useCan, useCurrentUser } from '../../app/auth';
import { FullPageSpin } from '../../app/FullPageSpin';
import { AssigneeSelect } from './AssigneeSelect';
import { dueColor, problemsKey, uploadFile, useAssignees, useCategories, useProblem, usePrograms } from './programsApi';

export default function ProblemPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const me = useCurrentUser();
  const hasWrite = useCan('rectification.write');
  const users = useAssignees();
  const { data: p } = useProblem(id);
  const [adding, setAdding] = useState(false);
  const [reporting, setReporting] = useState<Measure | null>(null);
  const [returning, setReturning] = useState<Measure | null>(null);
  const [editing, setEditing] = useState(false);
  const [editingMeasure, setEditingMeasure] = useState<Measure | null>(null);
  const set = (d: ProblemDetail) => {
    qc.setQueryData([...problemsKey, id], d);
    void qc.invalidateQueries({ queryKey: [...problemsKey, 'list'] });
    void qc.invalidateQueries({ queryKey: ['programs'] });
  };
  const act = useMutation({ mutationFn: (f: () => Promise<ProblemDetail>) => f(), onSuccess: set });
  if (!p) return <FullPageSpin />;
  const claimed = p.claimants.some((c) => c.id === me.userId);
  // the server scopes writes by the program's owner unit; it says what this user may do here
  const canWrite = p.canEdit;
  const canVerify = p.canVerify;
  // a measure's owner reports on it even when the problem is outside their scope
  const canReport = (m: Measure) => canWrite || (hasWrite && m.owner.id === me.userId);
  const unclaim = (userId: string) => act.mutate(() => api.delete<ProblemDetail>(`/rectification/problems/${id}/claims/${userId}`));

  return (
    <Card
      size="small"
      title={
        <Space>
          <Link to="/programs/problems">{t('programs.tabs.problems')}</Link>/
          <span>
            {p.number}. {p.title}
          </span>
          <Tag color={p.status === 'rectified' ? 'green' : 'blue'} data-testid="problem-status">
            {t(`programs.problem.statuses.${p.status}`)}
          </Tag>
        </Space>
      }
      extra={
        <Space>
          {canWrite && p.status !== 'rectified' && (
            <Button size="small" onClick={() => setEditing(true)} data-testid="problem-edit">
              {t('programs.problem.edit')}
            </Button>
          )}
          {canVerify && p.status !== 'rectified' && (
            <Button size="small" onClick={() => act.mutate(() => api.post(`/rectification/problems/${id}/close`))}>
              {t('programs.problem.closeProblem')}
            </Button>
          )}
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('programs.problem.source')}>
          {t(`programs.problem.sources.${p.source}`)}
          {p.programTitle && (
            <>
              {' · '}
              <Link to={`/programs/${p.programId}`}>{p.programTitle}</Link>
            </>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('programs.problem.category')}>{p.categoryName}</Descriptions.Item>
        <Descriptions.Item label={t('programs.problem.foundOn')}>{p.foundOn}</Descriptions.Item>
        <Descriptions.Item label={t('programs.problem.claimants')}>
          <Space wrap>
            <span data-testid="claimants">
              {p.claimants.length === 0
                ? '—'
                : p.claimants.map((c) => (
                    // the program owner removes anyone's claim; the others withdraw their own (button below)
                    <Tag key={c.id} closable={p.canAssign} onClose={(e) => (e.preventDefault(), unclaim(c.id))}>
                      {c.name}
                    </Tag>
                  ))}
            </span>
            {claimed && (
              <Button size="small" onClick={() => unclaim(me.userId)} data-testid="problem-withdraw">
                {t('programs.problem.withdraw')}
              </Button>
            )}
            {canWrite && !claimed && (
              <Button size="small" onClick={() => act.mutate(() => api.post(`/rectification/problems/${id}/claim`))} data-testid="problem-claim">
                {t('programs.problem.claim')}
              </Button>
            )}
            {p.canAssign && (
              <Select
                size="small"
                style={{ width: 140 }}
                placeholder={t('programs.problem.assign')}
                showSearch
                optionFilterProp="label"
                value={null}
                onChange={(userId: string) => act.mutate(() => api.post(`/rectification/problems/${id}/assign`, { userId }))}
                options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
              />
            )}
          </Space>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{p.description}</Typography.Paragraph>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('programs.problem.measures')}（{t('programs.problem.closedCount', { closed: p.measuresClosed, total: p.measures })}）
        </Typography.Title>
        {canWrite && (
          <Button size="small" onClick={() => setAdding(true)} data-testid="measure-add">
            {t('programs.problem.addMeasure')}
          </Button>
        )}
      </Space>
      <List
        dataSource={p.measureList}
        renderItem={(m) => (
          <List.Item key={m.id} data-testid="measure">
            <div style={{ width: '100%' }}>
              <Space wrap>
                {m.immediate && <Tag color="purple">{t('programs.problem.immediate')}</Tag>}
                <Typography.Text strong>{m.title}</Typography.Text>
                <span>
                  {t('programs.problem.owner')}：{m.owner.name}
                </span>
                <span>
                  {t('programs.problem.deadline')}：{m.deadline}
                </span>
                {m.due && <Tag color={dueColor[m.due]}>{t(`programs.problem.${m.due}`)}</Tag>}
                {m.closed ? (
                  <Tag color="green" data-testid="measure-closed">
                    {t('programs.problem.closed')} · {t('programs.problem.verifiedBy', { name: m.verifiedBy?.name ?? '' })}
                  </Tag>
                ) : (
                  <Tag>{t(`programs.problem.measureStatuses.${m.status}`)}</Tag>
                )}
              </Space>
              <Progress percent={m.percent} size="small" />
              {m.returnedReason && !m.closed && <Alert type="warning" showIcon message={t('programs.problem.returned', { reason: m.returnedReason })} style={{ marginBottom: 4 }} />}
              {m.progress.map((n) => (
                <div key={n.id}>
                  <Typography.Text type="secondary">
                    {n.createdAt.slice(0, 10)} {n.by} {n.percent}%：
                  </Typography.Text>
                  {n.note}
                </div>
              ))}
              <Space wrap>
                {m.evidence.map((e) => (
                  <a key={e.id} href={`/api/v1/rectification/evidence/${e.id}`} data-testid="evidence">
                    {e.filename}
                  </a>
                ))}
              </Space>
              {!m.closed && (
                <Space wrap style={{ marginTop: 4 }}>
                  {canReport(m) && (
                    <Button size="small" onClick={() => setReporting(m)} data-testid="measure-progress">
                      {t('programs.problem.progress')}
                    </Button>
                  )}
                  {canWrite && (
                    <Button size="small" onClick={() => setEditingMeasure(m)} data-testid="measure-edit">
                      {t('programs.problem.editMeasure')}
                    </Button>
                  )}
                  {canReport(m) && (
                    <Upload
                      showUploadList={false}
                      customRequest={({ file, onSuccess, onError }) => {
                        uploadFile(`/rectification/measures/${m.id}/evidence`, file as File)
                          .then(() => {
                            onSuccess?.(null);
                            void qc.invalidateQueries({ queryKey: [...problemsKey, id] });
                          })
                          .catch((e: unknown) => onError?.(e as Error));
                      }}
                    >
                      <Button size="small" data-testid="measure-evidence">
                        {t('programs.problem.uploadEvidence')}
                      </Button>
                    </Upload>
                  )}
                  {canVerify && m.owner.id !== me.userId && (m.status === 'done' || m.status === 'long_term') && (
                    <>
                      <Button size="small" type="primary" onClick={() => act.mutate(() => api.post(`/rectification/measures/${m.id}/verify`, { version: m.version }))} data-testid="measure-verify">
                        {t('programs.problem.verify')}
                      </Button>
                      <Button size="small" danger onClick={() => setReturning(m)}>
                        {t('programs.problem.returnBack')}
                      </Button>
                    </>
                  )}
                </Space>
              )}
            </div>
          </List.Item>
        )}
      />
      {adding && <MeasureModal problemId={id} onDone={set} onClose={() => setAdding(false)} />}
      {editingMeasure && <MeasureModal problemId={id} measure={editingMeasure} onDone={set} onClose={() => setEditingMeasure(null)} />}
      {editing && <ProblemEditModal problem={p} onDone={set} onClose={() => setEditing(false)} />}
      {reporting && <ProgressModal measure={reporting} onDone={set} onClose={() => setReporting(null)} />}
      {returning && <ReturnModal measure={returning} onDone={set} onClose={() => setReturning(null)} />}
    </Card>
  );
}

/** A new measure, or (given one) a measure's edit: title, owner, deadline, the immediate flag. */
function MeasureModal({ problemId, measure, onDone, onClose }: { problemId: string; measure?: Measure; onDone: (p: ProblemDetail) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ title: string; ownerUserId: string; deadline: Dayjs; immediate: boolean }>();
  const me = useCurrentUser();
  const save = useMutation({
    mutationFn: (v: { title: string; ownerUserId: string; deadline: Dayjs; immediate: boolean }) => {
      const body = { ...v, deadline: v.deadline.format('YYYY-MM-DD'), immediate: !!v.immediate };
      return measure
        ? api.patch<ProblemDetail>(`/rectification/measures/${measure.id}`, { ...body, version: measure.version })
        : api.post<ProblemDetail>(`/rectification/problems/${problemId}/measures`, body);
    },
    onSuccess: (p) => {
      onDone(p);
      onClose();
    },
  });
  return (
    <Modal open title={measure ? t('programs.problem.editMeasure') : t('programs.problem.addMeasure')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form
        form={form}
        layout="vertical"
        initialValues={measure ? { title: measure.title, ownerUserId: measure.owner.id, deadline: dayjs(measure.deadline), immediate: measure.immediate } : { ownerUserId: me.userId }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="title" label={t('programs.problem.measureTitle')} rules={[{ required: true, max: 500 }]}>
          <Input.TextArea rows={2} data-testid="measure-title" />
        </Form.Item>
        <Form.Item name="ownerUserId" label={t('programs.problem.owner')} rules={[{ required: true }]}>
          <AssigneeSelect data-testid="measure-owner" />
        </Form.Item>
        <Form.Item name="deadline" label={t('programs.problem.deadline')} rules={[{ required: true }]}>
          <DatePicker data-testid="measure-deadline" />
        </Form.Item>
        <Form.Item name="immediate" valuePropName="checked">
          <Checkbox>{t('programs.problem.immediate')}</Checkbox>
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ProgressModal({ measure, onDone, onClose }: { measure: Measure; onDone: (p: ProblemDetail) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ percent: number; note: string; status?: string }>();
  const save = useMutation({
    mutationFn: (v: { percent: number; note: string; status?: string }) => api.post<ProblemDetail>(`/rectification/measures/${measure.id}/progress`, v),
    onSuccess: (p) => {
      onDone(p);
      onClose();
    },
  });
  return (
    <Modal open title={t('programs.problem.progress')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form form={form} layout="vertical" initialValues={{ percent: measure.percent }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="percent" label={t('programs.problem.percent')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100} data-testid="progress-percent" />
        </Form.Item>
        <Form.Item name="status" label={t('programs.problem.measureStatus')}>
          <Select allowClear options={measureStatuses.map((s) => ({ value: s, label: t(`programs.problem.measureStatuses.${s}`) }))} />
        </Form.Item>
        <Form.Item name="note" label={t('programs.problem.note')} rules={[{ required: true, max: 2000 }]}>
          <Input.TextArea rows={3} data-testid="progress-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ReturnModal({ measure, onDone, onClose }: { measure: Measure; onDone: (p: ProblemDetail) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string }>();
  const save = useMutation({
    mutationFn: (v: { reason: string }) => api.post<ProblemDetail>(`/rectification/measures/${measure.id}/return`, { version: measure.version, reason: v.reason }),
    onSuccess: (p) => {
      onDone(p);
      onClose();
    },
  });
  return (
    <Modal open title={t('programs.problem.returnBack')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="reason" label={t('programs.problem.reason')} rules={[{ required: true, max: 500 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ProblemEditValues {
  title: string;
  description: string;
  source?: string;
  categoryId: string;
  foundOn: Dayjs;
  programId?: string | null;
}

/** Edits what was recorded of a problem; a problem from a feedback response keeps its source. */
function ProblemEditModal({ problem, onDone, onClose }: { problem: ProblemDetail; onDone: (p: ProblemDetail) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ProblemEditValues>();
  const categories = useCategories();
  const programs = usePrograms();
  const fromFeedback = problem.source === 'feedback_response';
  const save = useMutation({
    mutationFn: (v: ProblemEditValues) =>
      api.patch<ProblemDetail>(`/rectification/problems/${problem.id}`, {
        version: problem.version,
        title: v.title,
        description: v.description,
        categoryId: v.categoryId,
        foundOn: v.foundOn.format('YYYY-MM-DD'),
        programId: v.programId ?? null,
        ...(fromFeedback || !v.source ? {} : { source: v.source }),
      }),
    onSuccess: (p) => {
      onDone(p);
      onClose();
    },
  });
  // a retired category still shows while it is the problem's own
  const categoryOptions = [...(categories.data ?? [])];
  if (!categoryOptions.some((c) => c.id === problem.categoryId)) categoryOptions.push({ id: problem.categoryId, code: '', nameZh: problem.categoryName, nameEn: problem.categoryName, active: false, sortOrder: 0 });
  return (
    <Modal open title={t('programs.problem.editProblem')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ title: problem.title, description: problem.description, source: problem.source, categoryId: problem.categoryId, foundOn: dayjs(problem.foundOn), programId: problem.programId }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="title" label={t('programs.problem.title')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="problem-edit-title" />
        </Form.Item>
        <Form.Item name="description" label={t('programs.problem.description')} rules={[{ required: true, max: 5000 }]}>
          <Input.TextArea rows={4} data-testid="problem-edit-description" />
        </Form.Item>
        <Form.Item name="source" label={t('programs.problem.source')}>
          <Select
            disabled={fromFeedback}
            data-testid="problem-edit-source"
            options={problemSources.filter((s) => fromFeedback || s !== 'feedback_response').map((s) => ({ value: s, label: t(`programs.problem.sources.${s}`) }))}
          />
        </Form.Item>
        <Form.Item name="categoryId" label={t('programs.problem.category')} rules={[{ required: true }]}>
          <Select data-testid="problem-edit-category" options={categoryOptions.map((c) => ({ value: c.id, label: c.nameZh }))} />
        </Form.Item>
        <Form.Item name="programId" label={t('programs.problem.program')}>
          <Select allowClear options={(programs.data ?? []).map((x) => ({ value: x.id, label: x.title }))} />
        </Form.Item>
        <Form.Item name="foundOn" label={t('programs.problem.foundOn')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
      </Form>
    </Modal>
  );
}
