import { useRef, useState } from 'react';
import { Button, Modal, Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Query } from '../../app/api';
import { isApiError } from '../../app/api';
import { reportError } from '../../app/queryClient';
import { notifier } from '../../app/notify';
import { downloadFile, formatBytes, saveBlob, type Progress as TransferProgress } from './transfer';

interface Job {
  title: string;
  progress: TransferProgress;
}

/**
 * Downloads a file with a progress dialog (bytes received, and percent when the size is
 * known). Returns the starter and the dialog element to render.
 */
export function useDownloadWithProgress() {
  const { t } = useTranslation();
  const [job, setJob] = useState<Job | null>(null);
  const abortRef = useRef<AbortController | null>(null);

  const start = async (title: string, path: string, query: Query | undefined, fallbackName: string) => {
    if (abortRef.current) return; // one at a time
    const controller = new AbortController();
    abortRef.current = controller;
    setJob({ title, progress: { loaded: 0, total: null } });
    try {
      const { blob, filename } = await downloadFile(
        path,
        query,
        fallbackName,
        (progress) => setJob({ title, progress }),
        controller.signal,
      );
      saveBlob(blob, filename);
      notifier().success(t('exporter.done', { name: filename }));
    } catch (e) {
      if (isApiError(e) && e.code === 'ABORTED') notifier().info(t('exporter.cancelled'));
      else reportError(e);
    } finally {
      abortRef.current = null;
      setJob(null);
    }
  };

  const { loaded = 0, total = null } = job?.progress ?? {};
  const element = (
    <Modal
      open={!!job}
      title={job?.title}
      closable={false}
      mask={{ closable: false }}
      footer={
        <Button onClick={() => abortRef.current?.abort()} data-testid="download-cancel">
          {t('exporter.cancel')}
        </Button>
      }
    >
      <div data-testid="download-progress">
        {total ? (
          <Progress percent={Math.min(100, Math.round((loaded / total) * 100))} status="active" />
        ) : (
          <Progress percent={100} status="active" showInfo={false} />
        )}
        <Typography.Text type="secondary">
          {loaded === 0
            ? t('exporter.preparing')
            : total
              ? t('exporter.receivedOf', { size: formatBytes(loaded), total: formatBytes(total) })
              : t('exporter.received', { size: formatBytes(loaded) })}
        </Typography.Text>
      </div>
    </Modal>
  );

  return { start, element, busy: !!job };
}
