import * as api from '../../api.ts';
import { ErrorState, Loading } from '../../components/ui.tsx';
import { formatDate } from '../../lib/format.ts';
import { useAsync } from '../../lib/hooks.ts';

/**
 * The order page's parcels: what each holds, who carries it, its tracking and whether it has
 * arrived. An order that has not shipped shows nothing. A guest passes the order link's token.
 */
export function OrderShipments({ orderId, token }: { orderId: string; token?: string }) {
  const shipments = useAsync((signal) => api.listShipments(orderId, token, signal), [orderId, token]);
  const items = shipments.data?.items;
  if (shipments.loading && !items) return <Loading label="Loading shipments…" />;
  if (shipments.error || !items) return <ErrorState error={shipments.error} onRetry={shipments.reload} />;
  if (items.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="shipments-title" data-testid="order-shipments">
      <h2 id="shipments-title">{items.length === 1 ? 'Shipment' : `Shipments (${items.length})`}</h2>
      <ul className="shipment-list">
        {items.map((s) => (
          <li key={s.id} data-testid="order-shipment">
            <p>
              <strong>Parcel {s.number}</strong> ·{' '}
              {s.status === 'delivered' && s.deliveredAt
                ? `delivered ${formatDate(s.deliveredAt)}`
                : `shipped ${formatDate(s.shippedAt)}`}
            </p>
            <p className="muted small">
              {s.carrier} · tracking{' '}
              {s.trackingUrl ? (
                <a href={s.trackingUrl} target="_blank" rel="noopener noreferrer">
                  {s.trackingNumber}
                </a>
              ) : (
                <span>{s.trackingNumber}</span>
              )}
            </p>
            <ul className="small">
              {s.lines.map((l) => (
                <li key={l.lineId}>
                  {l.quantity} × {l.variantTitle ? `${l.name} (${l.variantTitle})` : l.name}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
