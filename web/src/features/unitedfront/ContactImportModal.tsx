import { useRef, useState } from 'react';
import { Alert, Button, Modal, Progress, Radio, Result, Space, Table } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ContactImportResult, ErrorDetail } from '@tongxin/contracts';
import { isApiError } from '../../app/api';
import { ImportErrors, XlsxFileChooser } from '../../components/XlsxImportParts';
import { ufKey, uploadContacts } from './ufApi';

type Action = 'merge' | 'skip';

/**
 * The people import's pattern (choose, upload with progress, row errors as a table), plus
 * duplicates: rows naming registered contacts come back listed, the user picks merge or
 * skip per row (or for all) and sends the same file again with those choices.
 */
export function ContactImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [decisions, setDecisions] = useState<Record<string, Action>>({});
  const abortRef = useRef<(() => void) | null>(null);

  const upload = useMutation({
    mutationFn: ({ f, choices }: { f: File; choices: Record<string, Action> }) => {
      const job = uploadContacts(f, { decisions: choices }, (loaded, total) => setPercent(total ? Math.round((loaded / total) * 100) : null));
      abortRef.current = job.abort;
      return job.promise;
    },
    meta: { quietCodes: ['IMPORT_INVALID', 'DUPLICATE'] },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ufKey }),
    onError: (e) => {
      if (isApiError(e) && e.code === 'DUPLICATE') {
        // keep earlier choices, default the new rows to skip: nothing is merged unasked
        setDecisions((prev) => Object.fromEntries(e.details.filter((d) => d.row).map((d) => [String(d.row), prev[String(d.row)] ?? 'skip'])));
      }
    },
    onSettled: () => {
      abortRef.current = null;
    },
  });

  const reset = () => {
    setFile(null);
    setPercent(null);
    setProblem(null);
    setDecisions({});
    upload.reset();
  };
  const close = () => {
    abortRef.current?.();
    reset();
    onClose();
  };

  const invalid = isApiError(upload.error) && upload.error.code === 'IMPORT_INVALID' ? upload.error : null;
  const duplicates = isApiError(upload.error) && upload.error.code === 'DUPLICATE' ? upload.error.details : null;
  const result: ContactImportResult | undefined = upload.data;
  const setAll = (a: Action) => setDecisions((d) => Object.fromEntries(Object.keys(d).map((k) => [k, a])));

  return (
    <Modal
      open={open}
      title={t('unitedFront.importer.title')}
      width={760}
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
              onClick={() => file && upload.mutate({ f: file, choices: duplicates ? decisions : {} })}
              data-testid="import-start"
            >
              {duplicates ? t('unitedFront.importer.again') : t('importer.start')}
            </Button>
          </Space>
        )
      }
      destroyOnHidden
    >
      {upload.isSuccess && result ? (
        <Result status="success" title={<span data-testid="import-done">{t('unitedFront.importer.done', result)}</span>} />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <XlsxFileChooser
            file={file}
            problem={problem}
            disabled={upload.isPending}
            onChange={(f, why) => {
              upload.reset();
              setDecisions({});
              setPercent(null);
              setProblem(why);
              setFile(f);
            }}
            onRemove={reset}
          />
          {upload.isPending && percent !== null && <Progress percent={percent} status="active" />}
          {invalid && <ImportErrors error={invalid} />}
          {duplicates && (
            <>
              <Alert type="warning" showIcon title={t('unitedFront.importer.duplicatesTitle')} />
              <Space>
                <Button size="small" onClick={() => setAll('merge')} data-testid="dup-merge-all">
                  {t('unitedFront.importer.mergeAll')}
                </Button>
                <Button size="small" onClick={() => setAll('skip')} data-testid="dup-skip-all">
                  {t('unitedFront.importer.skipAll')}
                </Button>
              </Space>
              <Table<ErrorDetail & { key: number }>
                size="small"
                data-testid="import-duplicates"
                dataSource={duplicates.map((d, i) => ({ ...d, key: i }))}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                columns={[
                  { title: t('importer.row'), dataIndex: 'row', width: 70 },
                  { title: t('importer.problem'), dataIndex: 'problem' },
                  {
                    title: t('unitedFront.importer.action'),
                    width: 170,
                    render: (_: unknown, d) => (
                      <Radio.Group
                        size="small"
                        value={decisions[String(d.row)]}
                        onChange={(e) => setDecisions((prev) => ({ ...prev, [String(d.row)]: e.target.value as Action }))}
                        options={[
                          { value: 'merge', label: t('unitedFront.importer.merge') },
                          { value: 'skip', label: t('unitedFront.importer.skip') },
                        ]}
                      />
                    ),
                  },
                ]}
              />
            </>
          )}
        </Space>
      )}
    </Modal>
  );
}
