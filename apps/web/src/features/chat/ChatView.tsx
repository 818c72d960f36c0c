import type { Model } from '@volundr/contracts/models';
import { type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { formatTokens, formatUsd } from '../../components/format';
import { Icon } from '../../components/Icon';
import { useChatHandle } from './ChatContext';
import { ConnectionBadge } from './ConnectionBadge';
import type { ChatItem } from './chat-reducer';
import { Turn } from './Turn';
import './chat.css';

/**
 * The conversation with the session's agent. Streaming text is not read out as it arrives
 * (that would be noise); a live region announces when an answer is complete, fails, or
 * needs a permission.
 */
export function ChatView({
  models,
  cli,
  onOpenFile,
}: {
  models: Model[] | null;
  /** The session's CLI: the model can only switch to another model of the same CLI. */
  cli: Model['cli'];
  onOpenFile?: (path: string) => void;
}) {
  const chat = useChatHandle();
  const [draft, setDraft] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [announcement, setAnnouncement] = useState('');
  const items = chat?.state.items;

  // Keep the newest text in view while the person is at the bottom; leave them be if they scrolled up.
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && stick.current && items) log.scrollTop = log.scrollHeight;
  }, [items]);

  const last = items?.[items.length - 1];
  const lastStatus = last?.kind === 'turn' ? last.status : null;
  const interrupted = last?.kind === 'turn' && last.error?.code === 'interrupted';
  const pendingPermission =
    last?.kind === 'turn' && last.blocks.some((b) => b.kind === 'permission' && b.answer === null);
  useEffect(() => {
    if (lastStatus === 'completed') setAnnouncement('The agent answered.');
    else if (lastStatus === 'failed')
      setAnnouncement(interrupted ? 'The agent stopped: the turn was interrupted.' : 'The agent’s turn failed.');
  }, [lastStatus, interrupted]);
  useEffect(() => {
    if (pendingPermission) setAnnouncement('The agent asks for permission to use a tool.');
  }, [pendingPermission]);

  if (!chat) return null;
  const { state, status } = chat;
  const connected = status.state === 'open';
  const running = state.runningTurnId !== null;
  const model = state.ready?.model ?? null;
  const canSwitch = state.ready?.capabilities.includes('set_model') ?? false;
  const canInterrupt = state.ready?.capabilities.includes('interrupt') ?? true;
  const choices = (models ?? []).filter((m) => m.cli === cli);

  const submit = () => {
    const text = draft.trim();
    if (!text) return;
    chat.send(text);
    setDraft('');
    stick.current = true;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <div className="chat">
      <div className="chat-toolbar">
        <ConnectionBadge status={status} />
        {status.state === 'closed' ? (
          <button type="button" className="btn btn-sm" onClick={chat.reconnect}>
            Reconnect
          </button>
        ) : null}
        {model ? (
          canSwitch && choices.length > 0 ? (
            <div className="chat-model">
              <label htmlFor="chat-model">Model</label>
              <select
                id="chat-model"
                className="select"
                value={model}
                disabled={!connected || running}
                onChange={(e) => {
                  if (!chat.setModel(e.target.value)) setNotice('The model can be changed once the chat is connected.');
                  else setNotice(null);
                }}
              >
                {choices.some((m) => m.id === model) ? null : <option value={model}>{model}</option>}
                {choices.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <span className="chat-model mono">{model}</span>
          )
        ) : null}
        <span className="chat-totals">
          {state.totals.turns > 0
            ? `${formatTokens(state.totals.inputTokens + state.totals.outputTokens)} tokens · ${formatUsd(state.totals.costUsd)}`
            : null}
        </span>
        {running && canInterrupt ? (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => {
              if (!chat.interrupt()) setNotice('Not connected: the turn cannot be interrupted right now.');
            }}
          >
            <Icon name="stop" />
            Interrupt
          </button>
        ) : null}
      </div>
      {notice ? (
        <p className="banner" role="alert">
          {notice}
        </p>
      ) : null}
      {status.state === 'reconnecting' && status.attempt >= 3 ? (
        <p className="banner" role="status">
          The session’s chat broker does not answer (last close code {status.closeCode ?? 'none'}). It may be
          restarting; messages you send now are delivered once it is back.
        </p>
      ) : null}
      {chat.invalidFrames > 0 ? (
        <p className="banner">
          The broker sent {chat.invalidFrames} message(s) this app could not read; they were skipped.
        </p>
      ) : null}

      <div
        ref={logRef}
        className="chat-log"
        role="log"
        aria-label="Conversation"
        aria-live="off"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        {state.items.length === 0 ? (
          <EmptyState title={connected ? 'Ask the agent something' : 'No messages yet'}>
            {connected
              ? 'It works in this session’s workspace: it can read and change files and run commands.'
              : 'The conversation appears here once the chat is connected.'}
          </EmptyState>
        ) : (
          state.items.map((item) => (
            <ChatItemView
              key={itemKey(item)}
              item={item}
              connected={connected}
              onAnswer={(requestId, allow) => {
                if (!chat.answer(requestId, allow)) setNotice('Not connected: answer again once the chat is back.');
              }}
              {...(onOpenFile ? { onOpenFile } : {})}
            />
          ))
        )}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>

      <form
        className="composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label htmlFor="chat-input" className="visually-hidden">
          Message to the agent
        </label>
        <textarea
          id="chat-input"
          className="textarea"
          rows={2}
          placeholder={
            running
              ? 'Queue a message for after this turn…'
              : 'Message the agent (Enter to send, Shift+Enter for a new line)'
          }
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          disabled={status.state === 'closed'}
        />
        <button type="submit" className="btn btn-primary" disabled={!draft.trim() || status.state === 'closed'}>
          <Icon name="send" />
          Send
        </button>
      </form>
    </div>
  );
}

function itemKey(item: ChatItem): string {
  return item.kind === 'user' ? `u-${item.id}` : item.kind === 'turn' ? `t-${item.turnId}` : item.key;
}

function ChatItemView({
  item,
  connected,
  onAnswer,
  onOpenFile,
}: {
  item: ChatItem;
  connected: boolean;
  onAnswer: (requestId: string, allow: boolean) => void;
  onOpenFile?: (path: string) => void;
}) {
  switch (item.kind) {
    case 'user':
      return (
        <div className="user-message" data-pending={item.pending || undefined}>
          <div className="user-author">
            {item.author}
            {item.pending ? <span className="muted"> · sending…</span> : null}
          </div>
          <p>{item.text}</p>
        </div>
      );
    case 'turn':
      return <Turn turn={item} connected={connected} onAnswer={onAnswer} {...(onOpenFile ? { onOpenFile } : {})} />;
    case 'error':
      return (
        <p className="chat-error" role="alert">
          {item.message} <span className="mono">({item.code})</span>
        </p>
      );
  }
}
