import type { Catalogue } from '../../app/locales/catalogue';

/** Duties calendar, notifications (bell), calendar feed: the messages of this area (zh-CN is the source, en typed against it). */
const zh = {
  title: '组织生活提醒',
  page: {
    title: '组织生活日历',
    unit: '组织',
    year: '年度',
    duty: '应开展的活动',
    period: '周期',
    subtitle: '按北京时间统计已记录且有效的活动；规则可在规则设置中调整',
    noRules: '该组织没有组织生活规则',
    legend: '图例',
  },
  periods: { month: '每月', quarter: '每季度', year: '每年' },
  status: { met: '已完成', missed: '未完成', due_soon: '即将到期', upcoming: '待开展' },
  quarter: '第{{n}}季度',
  wholeYear: '全年',
  cellTitle: '{{status}}：{{done}}/{{required}}',
  missed: {
    title: '上月未完成的组织生活（{{month}}）',
    none: '上月各组织均已按要求开展组织生活',
    unit: '组织',
    duty: '活动',
    count: '完成/应完成',
  },
  bell: {
    title: '通知',
    empty: '暂无通知',
    markAll: '全部已读',
    unread: '{{count}} 条未读',
  },
  feed: {
    title: '日历订阅',
    description: '在手机或电脑日历中订阅此地址，即可看到您参加的活动。请勿将地址分享给他人；如已泄露，请重置。',
    reset: '重置地址',
    resetConfirm: '重置后旧地址立即失效，需要在日历中重新订阅。确定重置？',
    resetDone: '订阅地址已重置',
  },
};

const en: Catalogue<typeof zh> = {
  title: 'Duties and reminders',
  page: {
    title: 'Duties calendar',
    unit: 'Unit',
    year: 'Year',
    duty: 'Duty',
    period: 'Period',
    subtitle: 'Counts recorded, valid activities by Beijing time; rules can be changed in the rule settings',
    noRules: 'No duties apply to this unit',
    legend: 'Legend',
  },
  periods: { month: 'Monthly', quarter: 'Quarterly', year: 'Yearly' },
  status: { met: 'Met', missed: 'Missed', due_soon: 'Due soon', upcoming: 'Upcoming' },
  quarter: 'Q{{n}}',
  wholeYear: 'Year',
  cellTitle: '{{status}}: {{done}}/{{required}}',
  missed: {
    title: 'Duties missed last month ({{month}})',
    none: 'Every unit met its duties last month',
    unit: 'Unit',
    duty: 'Activity',
    count: 'Done/required',
  },
  bell: {
    title: 'Notifications',
    empty: 'No notifications',
    markAll: 'Mark all read',
    unread: '{{count}} unread',
  },
  feed: {
    title: 'Calendar subscription',
    description: 'Subscribe to this address in your phone or computer calendar to see the activities you take part in. Do not share it; reset it if it leaked.',
    reset: 'Reset address',
    resetConfirm: 'The old address stops working at once and calendars must subscribe again. Reset?',
    resetDone: 'The subscription address was reset',
  },
};

export const dutiesLocale = { zh, en };
