import { useRef, useState } from 'react';
import { Button, Modal, Progress, Result, Space, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../app/api';
import { ImportErrors, XlsxFileChooser } from '../../components/XlsxImportParts';
import { peopleKey } from './peopleApi';
import { uploadFile, type Progress as TransferProgress } from './transfer';

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
          <XlsxFileChooser
            file={file}
            problem={problem}
            disabled={upload.isPending}
            onChange={(f, why) => {
              upload.reset();
              setProgress(null);
              setProblem(why);
              setFile(f);
            }}
            onRemove={reset}
          />
          {progress && (upload.isPending || upload.isError) && (
            <div>
              <Progress percent={percent} status={upload.isError ? 'exception' : uploaded ? 'normal' : 'active'} />
              <Typography.Text type="secondary">
                {upload.isPending ? (uploaded ? t('importer.processing') : t('importer.uploading')) : null}
              </Typography.Text>
            </div>
          )}
          {invalid && <ImportErrors error={invalid} />}
        </Space>
      )}
    </Modal>
  );
}
