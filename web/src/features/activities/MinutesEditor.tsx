import { useEffect, useRef } from 'react';
import { Button, Space, Tooltip } from 'antd';
import { BoldOutlined, ItalicOutlined, OrderedListOutlined, UnderlineOutlined, UnorderedListOutlined } from '@ant-design/icons';

const commands = [
  { cmd: 'bold', icon: <BoldOutlined />, title: 'B' },
  { cmd: 'italic', icon: <ItalicOutlined />, title: 'I' },
  { cmd: 'underline', icon: <UnderlineOutlined />, title: 'U' },
  { cmd: 'insertUnorderedList', icon: <UnorderedListOutlined />, title: '•' },
  { cmd: 'insertOrderedList', icon: <OrderedListOutlined />, title: '1.' },
] as const;

/**
 * A small rich-text editor: the browser's own editing (contentEditable) and a few formatting
 * buttons; no editor library. What it produces is only a proposal: the server keeps an
 * allowlist of tags (sanitize-html) and the page shows the server's sanitised copy.
 */
export function MinutesEditor({ initialHtml, onChange }: { initialHtml: string; onChange: (html: string) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // set once per saved version: React must not own the editable's children
    if (ref.current) ref.current.innerHTML = initialHtml;
  }, [initialHtml]);
  const exec = (cmd: string, arg?: string) => {
    ref.current?.focus();
    document.execCommand(cmd, false, arg);
    onChange(ref.current?.innerHTML ?? '');
  };
  return (
    <div>
      <Space.Compact style={{ marginBottom: 4 }}>
        <Button size="small" onMouseDown={(e) => e.preventDefault()} onClick={() => exec('formatBlock', 'h3')}>
          H
        </Button>
        {commands.map((c) => (
          <Tooltip key={c.cmd} title={c.title}>
            <Button size="small" icon={c.icon} onMouseDown={(e) => e.preventDefault()} onClick={() => exec(c.cmd)} />
          </Tooltip>
        ))}
      </Space.Compact>
      <div
        ref={ref}
        contentEditable
        suppressContentEditableWarning
        role="textbox"
        aria-multiline="true"
        data-testid="minutes-editor"
        onInput={() => onChange(ref.current?.innerHTML ?? '')}
        style={{ minHeight: 160, border: '1px solid #d9d9d9', borderRadius: 6, padding: '8px 11px', lineHeight: 1.7, background: '#fff' }}
      />
    </div>
  );
}
