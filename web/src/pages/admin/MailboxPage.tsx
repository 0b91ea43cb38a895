import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import * as api from '../../api.ts';
import type { NotificationSummary } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, EmptyState, ErrorState, Loading, Notice } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { templateName } from '../../lib/codes.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, useDebouncedCallback, useEvents, usePagedList, useTitle } from '../../lib/hooks.ts';
import './MailboxPage.css';

const PAGE_SIZE = 25;

const STATUS_TEXT: Record<string, string> = { pending: 'Pending', sent: 'Sent', failed: 'Failed' };

export function MailboxPage() {
  useTitle('Mailbox');
  const [params, setParams] = useSearchParams();
  const selected = params.get('id');
  const messages = usePagedList(
    (cursor, signal) => api.listNotifications({ limit: PAGE_SIZE, cursor }, signal),
    (n) => n.id,
    [],
  );
  const { items, loading, error } = messages;

  // order changes send emails: refresh the first page shortly after one
  const refresh = useDebouncedCallback(messages.reload, 1500);
  useEvents({ order: refresh }, true);

  function select(id: string | null) {
    setParams(id ? { id } : {}, { replace: false });
  }

  function updated(n: NotificationSummary) {
    messages.setItems((list) => list.map((x) => (x.id === n.id ? { ...x, ...n } : x)));
  }

  return (
    <>
      <PageHeader title="Mailbox">
        <Button variant="secondary" onClick={messages.reload} busy={loading && items.length > 0}>
          Refresh
        </Button>
      </PageHeader>
      <p className="muted">Every email and text message Orderly has sent or tried to send.</p>
      <div className={`mailbox${selected ? ' has-selection' : ''}`}>
        <section className="mailbox-list card" aria-labelledby="messages-title">
          <h2 id="messages-title" className="visually-hidden">
            Messages
          </h2>
          {loading && items.length === 0 ? (
            <Loading label="Loading messages…" />
          ) : error ? (
            <ErrorState error={error} onRetry={messages.reload} />
          ) : items.length === 0 ? (
            <EmptyState title="No messages yet.">
              <p className="muted">
                Messages appear here when orders are placed, shipped, delivered or cancelled.
              </p>
            </EmptyState>
          ) : (
            <>
              <ul className="message-list" data-testid="message-list">
                {items.map((n) => (
                  <li key={n.id}>
                    <button
                      type="button"
                      className={`message-item${n.id === selected ? ' selected' : ''}`}
                      aria-current={n.id === selected ? 'true' : undefined}
                      onClick={() => select(n.id)}
                      data-testid="message-item"
                    >
                      <span className="message-top">
                        <span className="message-subject">{n.subject || templateName(n.template)}</span>
                        <span className={`badge notif-${n.status}`}>{STATUS_TEXT[n.status] ?? n.status}</span>
                      </span>
                      <span className="message-meta">
                        <span className="badge badge-neutral">{n.channel === 'sms' ? 'SMS' : 'Email'}</span>{' '}
                        {n.recipient}
                      </span>
                      <span className="message-meta">
                        <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
              {messages.moreError !== null && (
                <p className="field-error" role="alert">
                  {describeError(messages.moreError)}
                </p>
              )}
              {messages.hasMore && (
                <div className="load-more">
                  <Button variant="secondary" busy={messages.loadingMore} onClick={messages.loadMore}>
                    Load more messages
                  </Button>
                </div>
              )}
            </>
          )}
        </section>
        <section className="mailbox-preview card" aria-labelledby="preview-title">
          {selected ? (
            <MessagePreview id={selected} onBack={() => select(null)} onUpdated={updated} />
          ) : (
            <>
              <h2 id="preview-title">Preview</h2>
              <p className="muted">Choose a message to see it as the customer received it.</p>
            </>
          )}
        </section>
      </div>
    </>
  );
}

function MessagePreview({
  id,
  onBack,
  onUpdated,
}: {
  id: string;
  onBack: () => void;
  onUpdated: (n: NotificationSummary) => void;
}) {
  const notify = useToast();
  const message = useAsync((signal) => api.getNotification(id, signal), [id]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const m = message.data;

  async function resend() {
    setBusy(true);
    setFailure(null);
    try {
      const n = await api.resendNotification(id);
      onUpdated(n);
      message.reload();
      notify(n.status === 'failed' ? 'Sending failed again.' : 'The message was queued to be sent again.');
    } catch (err) {
      setFailure(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div data-testid="message-preview">
      <div className="section-header">
        <h2 id="preview-title">{m ? m.subject || templateName(m.template) : 'Preview'}</h2>
        <Button variant="ghost" className="btn-small mailbox-back" onClick={onBack}>
          Back to the list
        </Button>
      </div>
      {message.loading && !m ? (
        <Loading label="Loading message…" />
      ) : message.error || !m ? (
        <ErrorState error={message.error} onRetry={message.reload} />
      ) : (
        <>
          <dl className="facts facts-compact">
            <div>
              <dt>To</dt>
              <dd>{m.recipient}</dd>
            </div>
            <div>
              <dt>Channel</dt>
              <dd>{m.channel === 'sms' ? 'SMS' : 'Email'}</dd>
            </div>
            <div>
              <dt>Template</dt>
              <dd>{templateName(m.template)}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <span className={`badge notif-${m.status}`}>{STATUS_TEXT[m.status] ?? m.status}</span> after{' '}
                {m.attempts === 1 ? '1 attempt' : `${m.attempts} attempts`}
              </dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatDateTime(m.createdAt)}</dd>
            </div>
            {m.sentAt && (
              <div>
                <dt>Sent</dt>
                <dd>{formatDateTime(m.sentAt)}</dd>
              </div>
            )}
          </dl>
          {m.lastError && (
            <Notice kind="warning" title="Last error">
              <p>{m.lastError}</p>
            </Notice>
          )}
          <div className="actions-row">
            <Button variant="secondary" busy={busy} onClick={() => void resend()} data-testid="resend">
              Resend
            </Button>
          </div>
          <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
          {m.channel === 'email' && m.html ? (
            <iframe
              className="email-frame"
              title={`Email preview: ${m.subject || templateName(m.template)}`}
              sandbox=""
              srcDoc={m.html}
              referrerPolicy="no-referrer"
              data-testid="email-frame"
            />
          ) : null}
          {m.text && (
            <details open={m.channel === 'sms' || !m.html} className="text-version">
              <summary>{m.channel === 'sms' ? 'Message text' : 'Plain-text version'}</summary>
              <pre className="message-text">{m.text}</pre>
            </details>
          )}
        </>
      )}
    </div>
  );
}
