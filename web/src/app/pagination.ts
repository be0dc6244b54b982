import { useState } from 'react';
import type { TablePaginationConfig } from 'antd';
import { useTranslation } from 'react-i18next';
import { limits } from '@tongxin/contracts';

/**
 * Page and page size of a server-paginated list, and the antd Table pagination for it.
 * Changing the page size goes back to page 1; filters call `setPage(1)` themselves.
 */
export function useServerPagination() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState<number>(limits.pageSizeDefault);
  const pagination = (total: number): TablePaginationConfig => ({
    current: page,
    pageSize,
    total,
    showSizeChanger: true,
    pageSizeOptions: [10, 20, 50, limits.pageSizeMax],
    showTotal: (n) => t('common.total', { total: n }),
    onChange: (p, size) => {
      setPage(size !== pageSize ? 1 : p);
      setPageSize(size);
    },
  });
  return { page, setPage, pageSize, pagination };
}
