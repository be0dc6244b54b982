import { useRef, useState } from 'react';
import { Alert, Button, Modal, Progress, Result, Space, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { limits, type ErrorDetail } from '@tongxin/contracts';
import { isApiError } from '../../app/api';
import { peopleKey } from './peopleApi';
import { uploadFile, type Progress as TransferProgress } from './transfer';

const maxMb = Math.round(limits.importMaxBytes / 1024 / 1024);

export function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<TransferProgress | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const abortRef = useRef<(() => void) | null>(null);

  const upload = useMutation({
    mutationFn: (f: File) => {
      const job = uploadFile<{ imported: number }>('/people/import', f, setProgress);
      abortRef.current = job.abort;
      return job.promise;
    },
    // an invalid file is shown below as a table, not as a passing message
    meta: { quietCodes: ['IMPORT_INVALID'] },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: peopleKey }),
    onSettled: () => {
      abortRef.current = null;
    },
  });

  const reset = () => {
    setFile(null);
    setProgress(null);
    setProblem(null);
    upload.reset();
  };
  const close = () => {
    abortRef.current?.();
    reset();
    onClose();
  };

  const invalid = isApiError(upload.error) && upload.error.code === 'IMPORT_INVALID' ? upload.error : null;
  const percent = progress?.total ? Math.round((progress.loaded / progress.total) * 100) : 0;
  const uploaded = percent >= 100;

  return (
    <Modal
      open={open}
      title={t('importer.title')}
      width={720}
      onCancel={close}
      footer={
        upload.isSuccess ? (
          <Button type="primary" onClick={close}>
            {t('common.close')}
          </Button>
        ) : (
          <Space>
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              disabled={!file}
              loading={upload.isPending}
              onClick={() => file && upload.mutate(file)}
              data-testid="import-start"
            >
              {t('importer.start')}
            </Button>
          </Space>
        )
      }
      destroyOnHidden
    >
      {upload.isSuccess ? (
        <Result status="success" title={t('importer.done', { count: upload.data.imported })} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('importer.hint', { mb: maxMb })}
          </Typography.Paragraph>
          <Upload
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            maxCount={1}
            fileList={file ? [{ uid: 'file', name: file.name, status: 'done', size: file.size }] : []}
            beforeUpload={(f) => {
              upload.reset();
              setProgress(null);
              if (!f.name.toLowerCase().endsWith('.xlsx')) {
                setProblem(t('importer.wrongType'));
                setFile(null);
              } else if (f.size > limits.importMaxBytes) {
                setProblem(t('importer.tooLarge', { mb: maxMb }));
                setFile(null);
              } else {
                setProblem(null);
                setFile(f);
              }
              return false; // we upload ourselves, with progress
            }}
            onRemove={() => {
              reset();
            }}
          >
            <Button icon={<UploadOutlined />} disabled={upload.isPending} data-testid="import-choose">
              {t('importer.choose')}
            </Button>
          </Upload>
          {problem && <Alert type="error" showIcon title={problem} />}
          {progress && (upload.isPending || upload.isError) && (
            <div>
              <Progress percent={percent} status={upload.isError ? 'exception' : uploaded ? 'normal' : 'active'} />
              <Typography.Text type="secondary">
                {upload.isPending ? (uploaded ? t('importer.processing') : t('importer.uploading')) : null}
              </Typography.Text>
            </div>
          )}
          {invalid && (
            <>
              <Alert type="error" showIcon title={invalid.message} description={t('importer.errorsTitle')} />
              <Table<ErrorDetail & { key: number }>
                size="small"
                data-testid="import-errors"
                dataSource={invalid.details.map((d, i) => ({ ...d, key: i }))}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                columns={[
                  { title: t('importer.row'), dataIndex: 'row', width: 70, render: (v?: number) => v ?? '—' },
                  { title: t('importer.column'), dataIndex: 'column', width: 140, render: (v?: string) => v ?? '—' },
                  { title: t('importer.problem'), dataIndex: 'problem' },
                ]}
              />
            </>
          )}
        </Space>
      )}
    </Modal>
  );
}
