import { useEffect } from 'react';
import { App, message as staticMessage } from 'antd';

type MessageInstance = ReturnType<typeof App.useApp>['message'];

/**
 * antd's static `message` does not see ConfigProvider (theme, locale); App.useApp() does,
 * but only inside React. The bridge below hands the hook's instance to non-React code.
 */
let messageApi: MessageInstance = staticMessage;

export function notifier(): MessageInstance {
  return messageApi;
}

export function NotifyBridge(): null {
  const { message } = App.useApp();
  useEffect(() => {
    messageApi = message;
    return () => {
      messageApi = staticMessage;
    };
  }, [message]);
  return null;
}
