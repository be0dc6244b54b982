import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Modal, QRCode, Space, Table, Tag, TreeSelect, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { FeedbackForm, FeedbackResponse, FormField, Invitation } from '@tongxin/contracts';
import { api } from '../../app/api';
import { useCan } from '../../app/auth';
import { FullPageSpin } from '../../app/FullPageSpin';
import { notifier } from '../../app/notify';
import { useServerPagination } from '../../app/pagination';
import { buildUnitForest, unitTreeSelectData, useUnits } from '../org/units';
import { PersonPicker } from '../activities/PersonPicker';
import { formsKey, useForm } from './programsApi';
import { statusColor } from './FormsList';
import { ProblemFormModal } from './ProblemsList';

/** An answer as plain text: React escapes it, nothing here is ever HTML. */
export function answerText(v: FeedbackResponse['answers'][string] | undefined): string {
  if (v === undefined) return '';
  if (Array.isArray(v)) return v.join('、');
  if (typeof v === 'object') return v.name;
  return String(v);
}

export default function FormPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const canWrite = useCan('feedback.manage');
  const canProblem = useCan('rectification.write');
  const { data: form } = useForm(id);
  const { page, pageSize, pagination } = useServerPagination();
  const [inviting, setInviting] = useState(false);
  const [toProblem, setToProblem] = useState<{ id: string; text: string } | null>(null);
  const responses = useQuery({
    queryKey: [...formsKey, id, 'responses', page, pageSize],
    queryFn: ({ signal }) => api.get<{ items: FeedbackResponse[]; total: number }>(`/feedback/forms/${id}/responses`, { page, pageSize }, signal),
  });
  const invitations = useQuery({
    queryKey: [...formsKey, id, 'invitations'],
    queryFn: ({ signal }) => api.get<{ items: Invitation[] }>(`/feedback/forms/${id}/invitations`, undefined, signal),
  });
  const status = useMutation({
    mutationFn: (s: FeedbackForm['status']) => api.post<FeedbackForm>(`/feedback/forms/${id}/status`, { version: form?.version, status: s }),
    onSuccess: (f) => qc.setQueryData([...formsKey, id], f),
  });
  if (!form) return <FullPageSpin />;
  const link = `${window.location.origin}/f/${form.publicId}`;
  const fields = form.fields;

  return (
    <Card
      size="small"
      title={
        <Space>
          <Link to="/programs/forms">{t('programs.tabs.forms')}</Link>/<span>{form.title}</span>
          <Tag color={statusColor[form.status]} data-testid="form-status">
            {t(`programs.form.statuses.${form.status}`)}
          </Tag>
        </Space>
      }
      extra={
        canWrite && (
          <Space>
            {form.status === 'draft' && (
              <Button type="primary" onClick={() => status.mutate('open')} data-testid="form-publish">
                {t('programs.form.publish')}
              </Button>
            )}
            {form.status === 'open' && <Button onClick={() => status.mutate('closed')}>{t('programs.form.close')}</Button>}
            {form.status === 'closed' && <Button onClick={() => status.mutate('open')}>{t('programs.form.reopen')}</Button>}
          </Space>
        )
      }
    >
      <Space align="start" wrap size="large">
        <Descriptions size="small" column={1} style={{ maxWidth: 560 }}>
          <Descriptions.Item label={t('programs.form.program')}>{form.programTitle ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('programs.form.mode')}>
            {t(`programs.form.modes.${form.mode}`)}
            {form.inviteOnly && ` · ${t('programs.form.inviteOnly')}`}
          </Descriptions.Item>
          <Descriptions.Item label={t('programs.form.link')}>
            <Space wrap>
              <Typography.Text code data-testid="form-link">
                {link}
              </Typography.Text>
              <Button
                size="small"
                onClick={() => {
                  void navigator.clipboard?.writeText(link).then(() => notifier().success(t('programs.form.copied')));
                }}
              >
                {t('programs.form.copy')}
              </Button>
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('programs.form.responses')}>
            {form.responses} · {t('programs.form.invited', { invited: form.invited, answered: form.invitedAnswered })}
          </Descriptions.Item>
        </Descriptions>
        {form.status !== 'draft' && <QRCode value={link} size={140} />}
      </Space>

      <Typography.Title level={5}>
        {t('programs.form.invitations')}{' '}
        {canWrite && (
          <Button size="small" onClick={() => setInviting(true)}>
            {t('programs.form.addInvitations')}
          </Button>
        )}
      </Typography.Title>
      <Space wrap style={{ marginBottom: 12 }}>
        {(invitations.data?.items ?? []).map((i) => (
          <Tag key={i.id} color={i.answered ? 'green' : undefined}>
            {i.targetName} · {i.answered ? t('programs.form.answered') : t('programs.form.notAnswered')}
          </Tag>
        ))}
      </Space>

      <Space style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('programs.form.responses')}
        </Typography.Title>
        <Button size="small" href={`/api/v1/feedback/forms/${id}/responses.xlsx`}>
          {t('programs.form.exportXlsx')}
        </Button>
      </Space>
      <Table<FeedbackResponse>
        rowKey="id"
        size="small"
        loading={responses.isFetching}
        dataSource={responses.data?.items ?? []}
        pagination={pagination(responses.data?.total ?? 0)}
        scroll={{ x: 800 }}
        columns={[
          { title: t('programs.form.submittedAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => new Date(v).toLocaleString() },
          ...(form.mode === 'named' ? [{ title: t('programs.form.respondent'), width: 100, render: (_: unknown, r: FeedbackResponse) => r.respondentName ?? r.invitationTarget }] : []),
          ...fields.map((f: FormField) => ({
            title: f.label,
            render: (_: unknown, r: FeedbackResponse) => {
              const v = r.answers[f.key];
              if (v && typeof v === 'object' && !Array.isArray(v)) return <a href={`/api/v1/feedback/files/${v.fileId}`}>{v.name}</a>;
              return <span style={{ whiteSpace: 'pre-wrap' }} data-testid="answer">{answerText(v)}</span>;
            },
          })),
          ...(canProblem
            ? [
                {
                  title: '',
                  width: 110,
                  render: (_: unknown, r: FeedbackResponse) =>
                    r.problemIds.length > 0 ? (
                      <Link to={`/programs/problems/${r.problemIds[0]}`}>{t('programs.tabs.problems')}</Link>
                    ) : (
                      <a
                        data-testid="response-to-problem"
                        onClick={() =>
                          setToProblem({
                            id: r.id,
                            text: fields
                              .filter((f) => f.kind === 'text')
                              .map((f) => answerText(r.answers[f.key]))
                              .filter(Boolean)
                              .join('\n'),
                          })
                        }
                      >
                        {t('programs.form.toProblem')}
                      </a>
                    ),
                },
              ]
            : []),
        ]}
      />
      {inviting && <InviteModal formId={id} onClose={() => setInviting(false)} />}
      {toProblem && <ProblemFormModal response={{ ...toProblem, programId: form.programId }} onClose={() => setToProblem(null)} />}
    </Card>
  );
}

function InviteModal({ formId, onClose }: { formId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const units = useUnits();
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [personIds, setPersonIds] = useState<string[]>([]);
  const [created, setCreated] = useState<Invitation[] | null>(null);
  const save = useMutation({
    mutationFn: () => api.post<{ items: Invitation[] }>(`/feedback/forms/${formId}/invitations`, { unitIds, personIds }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: [...formsKey, formId] });
      setCreated(r.items.filter((i) => i.token));
    },
  });
  const form = qc.getQueryData<FeedbackForm>([...formsKey, formId]);
  return (
    <Modal open width={640} title={t('programs.form.addInvitations')} onCancel={onClose} onOk={created ? onClose : () => save.mutate()} confirmLoading={save.isPending}>
      {created ? (
        <>
          <Alert type="warning" showIcon message={t('programs.form.tokenHint')} style={{ marginBottom: 8 }} />
          {created.map((i) => (
            <div key={i.id}>
              {i.targetName}：<Typography.Text copyable code>{`${window.location.origin}/f/${form?.publicId ?? ''}?t=${i.token ?? ''}`}</Typography.Text>
            </div>
          ))}
        </>
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <span>{t('programs.form.units')}</span>
          <TreeSelect multiple treeDefaultExpandAll style={{ width: '100%' }} value={unitIds} onChange={setUnitIds} treeData={unitTreeSelectData(buildUnitForest(units.data ?? []))} />
          <span>{t('programs.form.people')}</span>
          <PersonPicker value={personIds} onChange={setPersonIds} />
        </Space>
      )}
    </Modal>
  );
}
