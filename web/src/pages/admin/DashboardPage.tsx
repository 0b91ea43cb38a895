import { Link } from 'react-router-dom';
import * as api from '../../api.ts';
import type { Stats } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { ErrorState, Loading, PaymentBadge, StatusBadge, TableScroll } from '../../components/ui.tsx';
import { formatDateTime, money, percent, orderNumber, SHOP_LOCALE } from '../../lib/format.ts';
import { useAsync, useDebouncedCallback, useEvents, useTitle } from '../../lib/hooks.ts';
import './DashboardPage.css';

export function DashboardPage() {
  useTitle('Dashboard');
  const stats = useAsync((signal) => api.getStats(signal), []);
  const recent = useAsync(
    (signal) => api.listAdminOrders({ limit: 5, sort: 'createdAt', order: 'desc' }, signal),
    [],
  );
  const low = useAsync((signal) => api.listInventory({ lowStock: true }, signal), []);

  const refreshOrders = useDebouncedCallback(() => {
    stats.reload();
    recent.reload();
  }, 800);
  const refreshStock = useDebouncedCallback(() => low.reload(), 800);
  useEvents({ order: refreshOrders, stock: refreshStock, open: refreshOrders }, true);

  const s = stats.data;
  return (
    <>
      <PageHeader title="Dashboard" />
      {stats.loading && !s ? (
        <Loading label="Loading figures…" />
      ) : stats.error && !s ? (
        <ErrorState error={stats.error} onRetry={stats.reload} />
      ) : s ? (
        <>
          <section aria-labelledby="kpi-title">
            <h2 id="kpi-title" className="visually-hidden">
              Key figures
            </h2>
            <ul className="kpis" data-testid="kpis">
              <Kpi label="Orders today" value={String(s.today.orders)} testId="kpi-today-orders" />
              <Kpi
                label="Revenue today"
                value={money(s.today.revenue, s.currency)}
                testId="kpi-today-revenue"
              />
              <Kpi label="Orders this week" value={String(s.week.orders)} testId="kpi-week-orders" />
              <Kpi
                label="Revenue this week"
                value={money(s.week.revenue, s.currency)}
                testId="kpi-week-revenue"
              />
              <Kpi
                label="Order success rate"
                value={percent(s.successRate)}
                testId="kpi-success-rate"
                note={s.successRate >= 0.95 ? 'On target (95%)' : 'Below the 95% target'}
                tone={s.successRate >= 0.95 ? 'good' : 'bad'}
              />
            </ul>
          </section>
          <section className="card" aria-labelledby="chart-title">
            <h2 id="chart-title">Orders per day, last 14 days</h2>
            <OrdersChart stats={s} />
          </section>
        </>
      ) : null}

      <div className="detail-grid">
        <section className="card" aria-labelledby="recent-title">
          <div className="section-header">
            <h2 id="recent-title">Latest orders</h2>
            <Link to="/admin/orders">All orders</Link>
          </div>
          {recent.loading && !recent.data ? (
            <Loading label="Loading orders…" />
          ) : recent.error && !recent.data ? (
            <ErrorState error={recent.error} onRetry={recent.reload} />
          ) : recent.data && recent.data.items.length > 0 ? (
            <TableScroll label="Latest orders table">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Order</th>
                    <th scope="col">Status</th>
                    <th scope="col">Payment</th>
                    <th scope="col" className="num">
                      Total
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {recent.data.items.map((o) => (
                    <tr key={o.id}>
                      <td>
                        <Link to={`/admin/orders/${o.id}`}>{orderNumber(o)}</Link>
                        <div className="muted small">{formatDateTime(o.createdAt)}</div>
                      </td>
                      <td>
                        <StatusBadge status={o.detailedStatus} />
                      </td>
                      <td>
                        <PaymentBadge status={o.paymentStatus} />
                      </td>
                      <td className="num">{money(o.total, o.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          ) : (
            <p className="muted">No orders yet.</p>
          )}
        </section>
        <section className="card" aria-labelledby="low-title">
          <div className="section-header">
            <h2 id="low-title">Low stock</h2>
            <Link to="/admin/inventory?lowStock=true">Inventory</Link>
          </div>
          {low.loading && !low.data ? (
            <Loading label="Loading stock…" />
          ) : low.error && !low.data ? (
            <ErrorState error={low.error} onRetry={low.reload} />
          ) : low.data && low.data.items.length > 0 ? (
            <ul className="plain-list" data-testid="low-stock-list">
              {low.data.items.slice(0, 8).map((row) => (
                <li key={row.productId} className="split">
                  <span>
                    {row.name} <span className="muted small">{row.sku}</span>
                  </span>
                  <span className={row.available <= 0 ? 'badge stock-out' : 'badge stock-low'}>
                    {row.available <= 0 ? 'Out of stock' : `${row.available} available`}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">Every product is well stocked.</p>
          )}
        </section>
      </div>
    </>
  );
}

function Kpi({
  label,
  value,
  note,
  tone,
  testId,
}: {
  label: string;
  value: string;
  note?: string;
  tone?: 'good' | 'bad';
  testId: string;
}) {
  return (
    <li className="kpi card" data-testid={testId}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{value}</span>
      {note && <span className={`kpi-note${tone ? ` kpi-${tone}` : ''}`}>{note}</span>}
    </li>
  );
}

const dayLabel = new Intl.DateTimeFormat(SHOP_LOCALE, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/**
 * The y axis for whole numbers of orders: evenly spaced integer ticks from 0 (four intervals or
 * so), the last one at or above the busiest day.
 */
function axisTicks(peak: number): number[] {
  const target = Math.max(peak, 4) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(target));
  const step =
    [1, 2, 2.5, 5, 10].map((s) => s * magnitude).find((s) => s >= target && Number.isInteger(s)) ??
    10 * magnitude;
  const top = Math.ceil(Math.max(peak, 4) / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  return ticks;
}

/** A bar chart of orders per day, drawn as inline SVG, with a table for screen readers. */
export function OrdersChart({ stats }: { stats: Stats }) {
  const days = stats.perDay;
  if (days.length === 0) return <p className="muted">No data yet.</p>;
  const width = 700;
  const height = 260;
  const pad = { top: 16, right: 12, bottom: 40, left: 40 };
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const ticks = axisTicks(Math.max(...days.map((d) => d.orders)));
  const max = ticks[ticks.length - 1] ?? 4;
  const slot = innerW / days.length;
  const barW = Math.max(4, slot * 0.62);
  const total = days.reduce((n, d) => n + d.orders, 0);
  const label = (date: string) => dayLabel.format(new Date(`${date}T00:00:00Z`));

  return (
    <figure className="chart" data-testid="orders-chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="chart-svg-title chart-svg-desc"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id="chart-svg-title">Orders per day</title>
        <desc id="chart-svg-desc">
          {`${total} orders in the last ${days.length} days; the busiest day had ${Math.max(...days.map((d) => d.orders))}.`}
        </desc>
        {ticks.map((t) => {
          const y = pad.top + innerH - (t / max) * innerH;
          return (
            <g key={t} className="chart-grid">
              <line x1={pad.left} x2={width - pad.right} y1={y} y2={y} />
              <text x={pad.left - 8} y={y + 4} textAnchor="end">
                {t}
              </text>
            </g>
          );
        })}
        {days.map((d, i) => {
          const h = (d.orders / max) * innerH;
          const x = pad.left + i * slot + (slot - barW) / 2;
          const y = pad.top + innerH - h;
          // every other day when there are many, counted back from the last (today) so it has one
          const showLabel = days.length <= 7 || (days.length - 1 - i) % 2 === 0;
          return (
            <g key={d.date} className="chart-bar">
              <rect x={x} y={y} width={barW} height={Math.max(h, d.orders > 0 ? 2 : 0)} rx={3}>
                <title>{`${label(d.date)}: ${d.orders} orders, ${money(d.revenue, stats.currency)}`}</title>
              </rect>
              {d.orders > 0 && (
                <text x={x + barW / 2} y={y - 4} textAnchor="middle" className="chart-value">
                  {d.orders}
                </text>
              )}
              {showLabel && (
                <text
                  x={x + barW / 2}
                  y={height - pad.bottom + 18}
                  textAnchor="middle"
                  className="chart-label"
                >
                  {label(d.date)}
                </text>
              )}
            </g>
          );
        })}
        <line
          className="chart-axis"
          x1={pad.left}
          x2={width - pad.right}
          y1={pad.top + innerH}
          y2={pad.top + innerH}
        />
      </svg>
      <figcaption className="muted small">
        {total} orders and{' '}
        {money(
          days.reduce((n, d) => n + d.revenue, 0),
          stats.currency,
        )}{' '}
        revenue over the last {days.length} days.
      </figcaption>
      <details className="chart-data">
        <summary>Show the numbers as a table</summary>
        <TableScroll label="Orders per day">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" className="num">
                  Orders
                </th>
                <th scope="col" className="num">
                  Revenue
                </th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <td>{label(d.date)}</td>
                  <td className="num">{d.orders}</td>
                  <td className="num">{money(d.revenue, stats.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </figure>
  );
}
