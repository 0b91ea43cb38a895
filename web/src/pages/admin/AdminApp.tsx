import { Route, Routes } from 'react-router-dom';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { AdminLayout } from './AdminLayout.tsx';
import { AuditLogPage } from './AuditLogPage.tsx';
import { CustomerPage } from './CustomerPage.tsx';
import { CustomersPage } from './CustomersPage.tsx';
import { DashboardPage } from './DashboardPage.tsx';
import { DiscountCodesPage } from './DiscountCodesPage.tsx';
import { DraftOrderPage, DraftOrdersPage, NewDraftOrderPage } from './DraftOrdersPage.tsx';
import { InventoryPage } from './InventoryPage.tsx';
import { LocationsPage } from './LocationsPage.tsx';
import { MailboxPage } from './MailboxPage.tsx';
import { AdminOrderPage } from './OrderPage.tsx';
import { AdminOrdersPage } from './OrdersPage.tsx';
import { ProductEditorPage } from './ProductEditorPage.tsx';
import { ProductsPage } from './ProductsPage.tsx';
import { ReturnsPage } from './ReturnsPage.tsx';
import { ShippingTaxPage } from './ShippingTaxPage.tsx';
import { WebhookEndpointPage, WebhooksPage } from './WebhooksPage.tsx';
import { ShopDetailsPage } from './ShopDetailsPage.tsx';
import { StaffPage } from './StaffPage.tsx';

/** The admin dashboard, loaded as its own chunk the first time `/admin` is opened. */
export default function AdminApp() {
  return (
    <Routes>
      <Route element={<AdminLayout />}>
        <Route index element={<DashboardPage />} />
        <Route path="orders" element={<AdminOrdersPage />} />
        <Route path="orders/:id" element={<AdminOrderPage />} />
        <Route path="returns" element={<ReturnsPage />} />
        <Route path="drafts" element={<DraftOrdersPage />} />
        <Route path="drafts/new" element={<NewDraftOrderPage />} />
        <Route path="drafts/:id" element={<DraftOrderPage />} />
        <Route path="customers" element={<CustomersPage />} />
        <Route path="customers/:id" element={<CustomerPage />} />
        <Route path="products" element={<ProductsPage />} />
        <Route path="products/:id" element={<ProductEditorPage />} />
        <Route path="inventory" element={<InventoryPage />} />
        <Route path="locations" element={<LocationsPage />} />
        <Route path="mailbox" element={<MailboxPage />} />
        <Route path="pricing" element={<ShippingTaxPage />} />
        <Route path="discount-codes" element={<DiscountCodesPage />} />
        <Route path="webhooks" element={<WebhooksPage />} />
        <Route path="webhooks/:id" element={<WebhookEndpointPage />} />
        <Route path="shop-details" element={<ShopDetailsPage />} />
        <Route path="staff" element={<StaffPage />} />
        <Route path="audit-log" element={<AuditLogPage />} />
        <Route path="*" element={<NotFoundPage home="/admin" />} />
      </Route>
    </Routes>
  );
}
