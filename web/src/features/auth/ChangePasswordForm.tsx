import { Alert, Button, Form, Input } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { limits } from '@tongxin/contracts';
import { api, isApiError } from '../../app/api';
import { useCurrentUser } from '../../app/auth';
import { meKey } from '../../app/queryClient';
import { notifier } from '../../app/notify';
import { usePasswordRules } from './authApi';
import { defaultPasswordRules, passwordProblem, serverProblem } from './passwordPolicy';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordForm({ onDone }: { onDone?: () => void }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const { data: loadedRules } = usePasswordRules();
  // until the tenant's rules arrive, the default policy's (the server checks anyway)
  const rules = loadedRules ?? defaultPasswordRules;

  const change = useMutation({
    mutationFn: (v: Values) =>
      api.post<{ ok: true }>('/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: async () => {
      notifier().success(t('password.changed'));
      form.resetFields();
      await queryClient.invalidateQueries({ queryKey: meKey });
      onDone?.();
    },
    // the server's reasons carry the tenant's actual policy: shown under the field instead
    meta: { quietCodes: ['PASSWORD_POLICY'] },
    onError: (e) => {
      if (!isApiError(e) || e.code !== 'PASSWORD_POLICY') return;
      const reasons = e.details.map(serverProblem).map((p) => (p ? t(`password.${p.key}`, p) : null));
      const known = reasons.filter((r): r is string => r !== null);
      form.setFields([{ name: 'newPassword', errors: known.length ? known : [e.message] }]);
    },
  });

  return (
    <Form<Values> form={form} layout="vertical" onFinish={(v) => change.mutate(v)} requiredMark={false}>
      <Alert
        type="info"
        showIcon
        title={t(rules.history > 0 ? 'password.rules' : 'password.rulesNoHistory', {
          min: rules.minLength,
          classes: rules.minClasses,
          history: rules.history,
        })}
        style={{ marginBottom: 16 }}
        data-testid="password-rules"
      />
      <Form.Item
        name="currentPassword"
        label={t('password.current')}
        rules={[{ required: true, message: t('common.required', { field: t('password.current') }) }]}
      >
        <Input.Password autoComplete="current-password" maxLength={limits.passwordMax} />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        rules={[
          { required: true, message: t('common.required', { field: t('password.new') }) },
          {
            validator: (_r, value: string | undefined) => {
              if (!value) return Promise.resolve();
              const problem = passwordProblem(value, me.username, rules);
              if (!problem) return Promise.resolve();
              const message =
                problem === 'classes'
                  ? t('password.classesAtLeast', { n: rules.minClasses })
                  : t(`password.${problem}`, { min: rules.minLength });
              return Promise.reject(new Error(message));
            },
          },
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={limits.passwordMax} />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('common.required', { field: t('password.confirm') }) },
          ({ getFieldValue }) => ({
            validator: (_r, value: string | undefined) =>
              !value || getFieldValue('newPassword') === value
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" maxLength={limits.passwordMax} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={change.isPending} block>
        {t('password.submit')}
      </Button>
    </Form>
  );
}
