import { Empty, Spin, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import dayjs from 'dayjs';
import { useTimeline } from './ufApi';
import { unitedFrontLocale } from './unitedfront.locale';

type TimelineKind = keyof typeof unitedFrontLocale.zh.timelineKind;

/** Everything linked to a contact or an enterprise, newest first. */
export function RecordTimeline({ kind, id }: { kind: 'contacts' | 'enterprises'; id: string }) {
  const { t } = useTranslation();
  const { data, isPending } = useTimeline(kind, id);
  if (isPending) return <Spin />;
  const items = data?.items ?? [];
  if (items.length === 0) return <Empty description={t('unitedFront.contact.noTimeline')} />;
  const label = (kind: string): string => {
    // trainings, visits and other activities (activities area): activity.<what>
    if (kind.startsWith('activity.')) {
      const what = kind.slice('activity.'.length);
      return what === 'training_completed' || what === 'training' || what === 'visit' ? t(`activities.timeline.${what}`) : t('activities.timeline.other');
    }
    const k = kind.replace('.', '_');
    // kinds other areas add later show as they are until they get a label here
    return k in unitedFrontLocale.zh.timelineKind ? t(`unitedFront.timelineKind.${k as TimelineKind}`) : kind;
  };
  return (
    <Timeline
      data-testid={`${kind}-timeline`}
      items={items.map((e, i) => ({
        key: i,
        children: (
          <div data-testid="timeline-entry">
            <Typography.Text strong>{label(e.kind)}</Typography.Text>
            {e.title &&
              (e.refType === 'activity' && e.refId ? (
                <Link to={`/activities/${e.refId}`} style={{ marginLeft: 8 }}>
                  {e.title}
                </Link>
              ) : (
                <Typography.Text style={{ marginLeft: 8 }}>{e.title}</Typography.Text>
              ))}
            <div>
              <Typography.Text type="secondary">
                {dayjs(e.at).format('YYYY-MM-DD HH:mm')}
                {e.actorName ? ` · ${e.actorName}` : ''}
              </Typography.Text>
            </div>
          </div>
        ),
      }))}
    />
  );
}
