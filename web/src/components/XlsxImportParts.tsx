import { Alert, Button, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { limits, type ErrorDetail } from '@tongxin/contracts';
import type { ApiError } from '../app/api';

const maxMb = Math.round(limits.importMaxBytes / 1024 / 1024);

/**
 * The file part of an XLSX import dialog: the hint, the chooser and why a file was refused
 * (not .xlsx, too large). The dialog keeps the chosen file and uploads it itself.
 */
export function XlsxFileChooser({
  file,
  problem,
  disabled,
  onChange,
  onRemove,
}: {
  file: File | null;
  problem: string | null;
  disabled: boolean;
  /** a file was picked: the file when it may be sent, else null with the reason */
  onChange: (file: File | null, problem: string | null) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('importer.hint', { mb: maxMb })}
      </Typography.Paragraph>
      <Upload
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        maxCount={1}
        fileList={file ? [{ uid: 'file', name: file.name, status: 'done', size: file.size }] : []}
        beforeUpload={(f) => {
          if (!f.name.toLowerCase().endsWith('.xlsx')) onChange(null, t('importer.wrongType'));
          else if (f.size > limits.importMaxBytes) onChange(null, t('importer.tooLarge', { mb: maxMb }));
          else onChange(f, null);
          return false; // the dialog uploads it, with progress
        }}
        onRemove={onRemove}
      >
        <Button icon={<UploadOutlined />} disabled={disabled} data-testid="import-choose">
          {t('importer.choose')}
        </Button>
      </Upload>
      {problem && <Alert type="error" showIcon title={problem} />}
    </>
  );
}

/** The rows an import refused (IMPORT_INVALID), with row, column and problem. */
export function ImportErrors({ error }: { error: ApiError }) {
  const { t } = useTranslation();
  return (
    <>
      <Alert type="error" showIcon title={error.message} description={t('importer.errorsTitle')} />
      <Table<ErrorDetail & { key: number }>
        size="small"
        data-testid="import-errors"
        dataSource={error.details.map((d, i) => ({ ...d, key: i }))}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        columns={[
          { title: t('importer.row'), dataIndex: 'row', width: 70, render: (v?: number) => v ?? '—' },
          { title: t('importer.column'), dataIndex: 'column', width: 140, render: (v?: string) => v ?? '—' },
          { title: t('importer.problem'), dataIndex: 'problem' },
        ]}
      />
    </>
  );
}
