import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { useCan } from '../../app/auth';
import { ProgramsList } from './ProgramsList';
import { ProblemsList } from './ProblemsList';
import { FormsList } from './FormsList';

/** /programs, /programs/problems, /programs/forms: one page, a tab each. */
export default function ProgramsHome() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const canProblems = useCan('rectification.read');
  const canForms = useCan('feedback.read');
  const key = pathname.startsWith('/programs/problems') ? 'problems' : pathname.startsWith('/programs/forms') ? 'forms' : 'programs';
  const items = [
    { key: 'programs', label: t('programs.tabs.programs'), children: <ProgramsList /> },
    ...(canProblems ? [{ key: 'problems', label: t('programs.tabs.problems'), children: <ProblemsList /> }] : []),
    ...(canForms ? [{ key: 'forms', label: t('programs.tabs.forms'), children: <FormsList /> }] : []),
  ];
  return (
    <Card title={t('programs.title')} size="small">
      <Tabs activeKey={key} items={items} destroyOnHidden onChange={(k) => navigate(k === 'programs' ? '/programs' : `/programs/${k}`)} />
    </Card>
  );
}
