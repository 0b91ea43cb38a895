import { Fragment, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import * as api from '../../api.ts';
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, EmptyState, ErrorState, Field, Loading, Notice, TableScroll } from '../../components/ui.tsx';
import { describeError, isApiError } from '../../lib/errors.ts';
import { formatDateTime, plural } from '../../lib/format.ts';
import { useAsync, usePagedList, useTitle } from '../../lib/hooks.ts';
import './WebhooksPage.css';

type EventTypeName = WebhookEventType['type'];

const CONTEXT_LABELS: Record<string, string> = {
  orders: 'Orders',
  payment: 'Payments',
  inventory: 'Stock',
  notification: 'Messages',
};

const DELIVERY_LABELS: Record<WebhookDelivery['status'], string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
};

const OUTCOME_LABELS: Record<string, string> = {
  delivered: 'Delivered',
  http_error: 'Error answer',
  timeout: 'Timed out',
  network_error: 'Could not connect',
  refused: 'Refused (address policy)',
};

/** The endpoints list, with the form to register one and the secret shown once after it. */
export function WebhooksPage() {
  useTitle('Webhooks');
  const endpoints = useAsync((signal) => api.listWebhookEndpoints(signal), []);
  const [showNew, setShowNew] = useState(false);
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);

  return (
    <>
      <PageHeader title="Webhooks">
        <Button
          variant={showNew ? 'ghost' : 'secondary'}
          onClick={() => setShowNew((s) => !s)}
          aria-expanded={showNew}
        >
          {showNew ? 'Close the new endpoint form' : 'New endpoint'}
        </Button>
      </PageHeader>
      <p className="muted webhooks-intro">
        Orderly POSTs the events an endpoint asks for as signed JSON, retrying for 24 hours until it answers
        2xx.
      </p>
      {created && (
        <SecretPanel
          title="Endpoint registered"
          url={created.url}
          secret={created.secret}
          onDone={() => setCreated(null)}
        />
      )}
      {showNew && (
        <EndpointForm
          onCancel={() => setShowNew(false)}
          onCreated={(endpoint, secret) => {
            setShowNew(false);
            setCreated({ url: endpoint.url, secret });
            endpoints.reload();
          }}
        />
      )}
      {endpoints.loading && !endpoints.data ? (
        <Loading label="Loading webhook endpoints…" />
      ) : endpoints.error ? (
        <ErrorState error={endpoints.error} onRetry={endpoints.reload} />
      ) : !endpoints.data || endpoints.data.items.length === 0 ? (
        <EmptyState title="No webhook endpoints yet.">
          <p>Register one to have orders, payments and stock changes sent to another system.</p>
        </EmptyState>
      ) : (
        <TableScroll label="Webhook endpoints">
          <table className="table table-stack" data-testid="webhook-endpoints">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">Status</th>
                <th scope="col">Deliveries</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {endpoints.data.items.map((endpoint) => (
                <EndpointRow key={endpoint.id} endpoint={endpoint} onChanged={endpoints.reload} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

function EndpointRow({ endpoint, onChanged }: { endpoint: WebhookEndpoint; onChanged: () => void }) {
  const notify = useToast();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function toggle() {
    setBusy(true);
    setProblem(null);
    try {
      const saved = await api.updateWebhookEndpoint(endpoint.id, { enabled: !endpoint.enabled });
      notify(saved.enabled ? 'The endpoint receives events again.' : 'The endpoint is disabled.');
      onChanged();
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <tr data-testid="webhook-endpoint-row" className={endpoint.enabled ? '' : 'row-inactive'}>
      <th scope="row" className="webhook-url">
        <Link to={`/admin/webhooks/${endpoint.id}`}>{endpoint.url}</Link>
        {endpoint.description && (
          <span className="muted small webhook-description">{endpoint.description}</span>
        )}
      </th>
      <td data-label="Events">
        <span title={endpoint.eventTypes.join(', ')}>
          {endpoint.eventTypes.length <= 3
            ? endpoint.eventTypes.join(', ')
            : plural(endpoint.eventTypes.length, 'event type')}
        </span>
      </td>
      <td data-label="Status">
        <span className={`badge ${endpoint.enabled ? 'badge-active' : 'badge-inactive'}`}>
          {endpoint.enabled ? 'Enabled' : 'Disabled'}
        </span>
      </td>
      <td data-label="Deliveries">
        {endpoint.pendingDeliveries} pending
        {endpoint.failedDeliveries > 0 && (
          <span className="webhook-failed">, {endpoint.failedDeliveries} failed</span>
        )}
      </td>
      <td data-label="Actions">
        <div className="actions-row">
          <Link className="btn btn-secondary btn-small" to={`/admin/webhooks/${endpoint.id}`}>
            Delivery log<span className="visually-hidden"> of {endpoint.url}</span>
          </Link>
          <Button variant="ghost" className="btn-small" busy={busy} onClick={() => void toggle()}>
            {endpoint.enabled ? 'Disable' : 'Enable'}
            <span className="visually-hidden"> {endpoint.url}</span>
          </Button>
        </div>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
      </td>
    </tr>
  );
}

/** The secret, once: after this the admin must reveal or rotate it on the endpoint's page. */
function SecretPanel({
  title,
  url,
  secret,
  onDone,
}: {
  title: string;
  url: string;
  secret: string;
  onDone: () => void;
}) {
  const notify = useToast();
  return (
    <section
      className="card stack webhook-secret"
      aria-labelledby="webhook-secret-title"
      data-testid="webhook-secret"
    >
      <h2 id="webhook-secret-title">{title}</h2>
      <p>
        The signing secret for <strong className="webhook-url">{url}</strong>. Copy it now: it is not shown
        again unless you reveal it.
      </p>
      <code className="secret-value" data-testid="webhook-secret-value">
        {secret}
      </code>
      <div className="actions-row">
        <Button
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(secret).then(
              () => notify('Secret copied.'),
              () => notify('Select the secret and copy it.'),
            );
          }}
        >
          Copy secret
        </Button>
        <Button variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
    </section>
  );
}

function EndpointForm({
  onCreated,
  onCancel,
}: {
  onCreated: (endpoint: WebhookEndpoint, secret: string) => void;
  onCancel: () => void;
}) {
  const types = useAsync((signal) => api.listWebhookEventTypes(signal), []);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<Set<EventTypeName>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const groups = new Map<string, WebhookEventType[]>();
  for (const t of types.data?.items ?? []) groups.set(t.context, [...(groups.get(t.context) ?? []), t]);

  function toggle(type: EventTypeName) {
    setChosen((current) => {
      const next = new Set(current);
      if (next.has(type)) next.delete(type);
      else next.add(type);
      return next;
    });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!/^https?:\/\/\S+$/i.test(url.trim()))
      found['url'] = 'Enter the full address, starting with https://.';
    if (chosen.size === 0) found['eventTypes'] = 'Choose at least one event.';
    setErrors(found);
    setProblem(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const saved = await api.createWebhookEndpoint({
        url: url.trim(),
        description: description.trim(),
        eventTypes: [...chosen],
        enabled: true,
      });
      onCreated(saved, saved.secret);
    } catch (err) {
      if (isApiError(err) && err.status === 422) setErrors({ url: err.message });
      else setProblem(describeError(err));
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={submit} noValidate aria-label="New webhook endpoint">
      <h2>New webhook endpoint</h2>
      <Field label="URL" hint="Where Orderly POSTs the events" error={errors['url']} required>
        <input
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://hooks.example.com/orderly"
          autoComplete="off"
          spellCheck={false}
          maxLength={2048}
        />
      </Field>
      <Field label="Description" hint="Optional: what receives them">
        <input
          type="text"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          maxLength={500}
        />
      </Field>
      <fieldset
        className="webhook-events"
        aria-describedby={errors['eventTypes'] ? 'webhook-events-error' : undefined}
        data-testid="webhook-event-checklist"
      >
        <legend>
          Events <span aria-hidden="true">*</span>
        </legend>
        {types.loading && !types.data ? (
          <Loading label="Loading event types…" />
        ) : types.error ? (
          <ErrorState error={types.error} onRetry={types.reload} />
        ) : (
          <div className="webhook-event-groups">
            {[...groups].map(([context, items]) => (
              <div key={context} className="webhook-event-group">
                <p className="webhook-event-group-title">{CONTEXT_LABELS[context] ?? context}</p>
                {items.map((t) => (
                  <label key={t.type} className="checkbox">
                    <input type="checkbox" checked={chosen.has(t.type)} onChange={() => toggle(t.type)} />
                    <code>{t.type}</code>
                  </label>
                ))}
              </div>
            ))}
          </div>
        )}
        {errors['eventTypes'] && (
          <p className="field-error" id="webhook-events-error">
            {errors['eventTypes']}
          </p>
        )}
      </fieldset>
      {problem && <Notice kind="error">{problem}</Notice>}
      <div className="actions-row">
        <Button type="submit" busy={busy}>
          Register endpoint
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** One endpoint: its settings, secret, test event, and the delivery log with each attempt and replay. */
export function WebhookEndpointPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const notify = useToast();
  const endpoint = useAsync((signal) => api.getWebhookEndpoint(id, signal), [id]);
  const deliveries = usePagedList(
    (cursor, signal) => api.listWebhookDeliveries(id, { cursor, limit: 25 }, signal),
    (d) => d.id,
    [id],
  );
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [asking, setAsking] = useState<'rotate' | 'delete' | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useTitle(endpoint.data ? `Webhook ${endpoint.data.url}` : 'Webhook');

  async function act(name: string, action: () => Promise<void>) {
    setBusy(name);
    setProblem(null);
    try {
      await action();
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setBusy(null);
    }
  }

  if (endpoint.loading && !endpoint.data) return <Loading label="Loading the endpoint…" />;
  if (endpoint.error || !endpoint.data)
    return <ErrorState error={endpoint.error} onRetry={endpoint.reload} />;
  const e = endpoint.data;

  return (
    <>
      <p>
        <Link to="/admin/webhooks">← All webhook endpoints</Link>
      </p>
      <PageHeader title="Webhook endpoint">
        <Button
          variant="secondary"
          busy={busy === 'test'}
          onClick={() =>
            void act('test', async () => {
              await api.sendWebhookTestEvent(e.id);
              notify('Test event queued.');
              deliveries.reload();
            })
          }
        >
          Send test event
        </Button>
      </PageHeader>
      <section className="card stack" aria-label="Endpoint settings" data-testid="webhook-endpoint">
        <p className="webhook-url">
          <strong>{e.url}</strong>
        </p>
        {e.description && <p>{e.description}</p>}
        <p>
          <span className={`badge ${e.enabled ? 'badge-active' : 'badge-inactive'}`}>
            {e.enabled ? 'Enabled' : 'Disabled'}
          </span>{' '}
          <span className="muted">Events: {e.eventTypes.join(', ')}</span>
        </p>
        <div className="actions-row">
          <Button
            variant="secondary"
            className="btn-small"
            busy={busy === 'reveal'}
            onClick={() =>
              void act('reveal', async () => {
                const { secret: value } = await api.revealWebhookSecret(e.id);
                setSecret({ title: 'Signing secret', value });
              })
            }
          >
            Reveal secret
          </Button>
          <Button variant="secondary" className="btn-small" onClick={() => setAsking('rotate')}>
            Rotate secret
          </Button>
          <Button
            variant="ghost"
            className="btn-small"
            busy={busy === 'toggle'}
            onClick={() =>
              void act('toggle', async () => {
                await api.updateWebhookEndpoint(e.id, { enabled: !e.enabled });
                endpoint.reload();
              })
            }
          >
            {e.enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button variant="ghost" className="btn-small" onClick={() => setAsking('delete')}>
            Delete endpoint
          </Button>
        </div>
        {problem && <Notice kind="error">{problem}</Notice>}
      </section>
      {secret && (
        <SecretPanel title={secret.title} url={e.url} secret={secret.value} onDone={() => setSecret(null)} />
      )}

      <h2 className="webhook-deliveries-title">Deliveries</h2>
      {deliveries.loading && deliveries.items.length === 0 ? (
        <Loading label="Loading deliveries…" />
      ) : deliveries.error ? (
        <ErrorState error={deliveries.error} onRetry={deliveries.reload} />
      ) : deliveries.items.length === 0 ? (
        <EmptyState title="No deliveries yet.">
          <p>Events this endpoint asked for appear here as they happen. Send a test event to try it.</p>
        </EmptyState>
      ) : (
        <DeliveryTable deliveries={deliveries.items} onReplayed={deliveries.reload} />
      )}
      <div className="actions-row">
        <Button variant="ghost" onClick={deliveries.reload}>
          Refresh
        </Button>
        {deliveries.hasMore && (
          <Button variant="secondary" busy={deliveries.loadingMore} onClick={deliveries.loadMore}>
            Show more deliveries
          </Button>
        )}
      </div>

      <ConfirmDialog
        open={asking === 'rotate'}
        title="Rotate the signing secret?"
        confirmLabel="Rotate secret"
        cancelLabel="Keep the current secret"
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          void act('rotate', async () => {
            const { secret: value } = await api.rotateWebhookSecret(e.id);
            setSecret({ title: 'New signing secret', value });
          });
        }}
      >
        <p>Requests are signed with the new secret at once; the receiver must be given it.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === 'delete'}
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        cancelLabel="Keep it"
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
          void act('delete', async () => {
            await api.deleteWebhookEndpoint(e.id);
            notify('Endpoint deleted.');
            navigate('/admin/webhooks');
          });
        }}
      >
        <p>Its deliveries and their log are deleted with it; waiting deliveries are not sent.</p>
      </ConfirmDialog>
    </>
  );
}

function DeliveryTable({
  deliveries,
  onReplayed,
}: {
  deliveries: WebhookDelivery[];
  onReplayed: () => void;
}) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <TableScroll label="Deliveries">
      <table className="table table-stack" data-testid="webhook-deliveries">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col">Next attempt</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <Fragment key={d.id}>
              <tr data-testid="webhook-delivery-row" data-status={d.status}>
                <th scope="row">
                  <code>{d.eventType}</code>
                  {d.replayOf && <span className="muted small"> (replay)</span>}
                </th>
                <td data-label="Status">
                  <span className={`badge delivery-${d.status}`}>{DELIVERY_LABELS[d.status]}</span>
                </td>
                <td data-label="Attempts" className="num">
                  {d.attempts}
                </td>
                <td data-label="Next attempt">{d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : '—'}</td>
                <td data-label="Created">{formatDateTime(d.createdAt)}</td>
                <td data-label="Actions">
                  <Button
                    variant="ghost"
                    className="btn-small"
                    aria-expanded={open === d.id}
                    onClick={() => setOpen(open === d.id ? null : d.id)}
                  >
                    {open === d.id ? 'Hide attempts' : 'Attempts'}
                    <span className="visually-hidden"> of {d.eventType}</span>
                  </Button>
                </td>
              </tr>
              {open === d.id && (
                <tr className="webhook-attempts-row">
                  <td colSpan={6}>
                    <DeliveryAttempts id={d.id} onReplayed={onReplayed} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function DeliveryAttempts({ id, onReplayed }: { id: string; onReplayed: () => void }) {
  const notify = useToast();
  const detail = useAsync((signal) => api.getWebhookDelivery(id, signal), [id]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function replay() {
    setBusy(true);
    setProblem(null);
    try {
      await api.replayWebhookDelivery(id);
      notify('Replay queued: the same event goes out again.');
      onReplayed();
    } catch (err) {
      setProblem(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  if (detail.loading && !detail.data) return <Loading label="Loading attempts…" />;
  if (detail.error || !detail.data) return <ErrorState error={detail.error} onRetry={detail.reload} />;
  const d = detail.data;
  return (
    <div className="stack" data-testid="webhook-attempts">
      <p className="small muted">
        Event id <code>{d.eventId}</code>
      </p>
      {d.attemptLog.length === 0 ? (
        <p className="muted">Not tried yet.</p>
      ) : (
        <ol className="webhook-attempt-list">
          {d.attemptLog.map((a) => (
            <li key={a.attempt} data-testid="webhook-attempt">
              <strong>
                #{a.attempt} {OUTCOME_LABELS[a.outcome] ?? a.outcome}
                {a.statusCode !== null && ` (${a.statusCode})`}
              </strong>{' '}
              <span className="muted small">
                {formatDateTime(a.startedAt)}, {a.durationMs} ms
              </span>
              {a.error && <p className="small">{a.error}</p>}
              {a.responseBody && <pre className="webhook-response">{a.responseBody}</pre>}
            </li>
          ))}
        </ol>
      )}
      <div className="actions-row">
        <Button variant="secondary" className="btn-small" busy={busy} onClick={() => void replay()}>
          Replay<span className="visually-hidden"> {d.eventType}</span>
        </Button>
      </div>
      {problem && <Notice kind="error">{problem}</Notice>}
    </div>
  );
}
