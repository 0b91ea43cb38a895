/**
 * Who may do what, as one explicit table: every operation of the API × {anonymous, customer A,
 * customer B, admin (the owner), a staff member, a support member}, with the status each must
 * get. `expect` holds the first four; `staff` the last two, [staff, support]: the statuses of a
 * staff account whose role lacks the route's permission are 403, otherwise they are the owner's. The requests aim at customer A's things
 * (A's order, A's cart), so customer B's column is "someone else's": another customer's order is
 * a 404, never a 403 that would confirm it exists. Admin-only operations are 401 anonymous and
 * 403 for customers. Where the admin column is not a 2xx, the request got past authorization and
 * was stopped by a business rule, which is said next to it.
 *
 * An operation in the API without a row here fails the suite: a new route needs a rule.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ADDRESS, STAFF_PASSWORD, createTestApp, orderBody, staffMember, type TestApp } from '../helpers.ts';
import { inject, loadApi, overHttp, placeOrder, type Api } from './support.ts';

type Actor = 'anonymous' | 'customerA' | 'customerB' | 'admin' | 'staff' | 'support';
const ACTORS: Actor[] = ['anonymous', 'customerA', 'customerB', 'admin', 'staff', 'support'];

interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  /** sent as the raw body with content-type image/png instead of a JSON body */
  png?: Buffer;
}

interface Fixtures {
  a: { token: string; id: string; email: string };
  product(): Promise<{ id: string; price: number }>;
  /** a new confirmed, paid order of customer A (each call a fresh one: cells may change it) */
  orderOfA(): Promise<string>;
  shippedOrderOfA(): Promise<string>;
  /** a new order of A's in one shipment, by the admin */
  shipmentOfA(): Promise<{ orderId: string; shipmentId: string }>;
  /** puts a product in A's cart and returns it */
  cartItemOfA(): Promise<string>;
  notificationId(): Promise<string>;
  /** a new discount code, made by the promotions service */
  discountCode(): Promise<string>;
  /** a new guest order (placed with an email only) and the token of its link */
  guestOrder(): Promise<{ id: string; accessToken: string }>;
  /** the number customer A quotes for a new order of theirs */
  orderNumberOfA(): Promise<number>;
  /** a new address in A's account */
  addressOfA(): Promise<string>;
  /** signs the actor in again, for the cells after one that revoked their tokens */
  signInAgain(actor: Actor): Promise<void>;
  /** empties the cart of whoever is asking (not A's) */
  emptyCartOf(actor: Actor): Promise<void>;
  /** a new shipping zone (a region of its own, so zones never overlap) */
  shippingZone(): Promise<string>;
  /** a new shipping method, in a new zone */
  shippingMethod(): Promise<string>;
  /** a new standard tax rate, in a new zone */
  taxRate(): Promise<string>;
  /** a new draft order for customer A, of one unit of a new product (price 20) */
  draftOfA(): Promise<string>;
  /** a new draft sent as a payment link to a new guest, and the link's token from the email */
  paymentLink(): Promise<{ id: string; token: string }>;
  /** a new product with a Size option, for adding variants to */
  productWithOptions(): Promise<string>;
  /** a new empty top-level category */
  category(): Promise<string>;
  /** a new webhook endpoint (to a closed local port: nothing is ever sent in this suite) */
  webhookEndpoint(): Promise<string>;
  /** a new test delivery to a new webhook endpoint */
  webhookDelivery(): Promise<string>;
  /** a new paid order of customer A with its invoice issued (the outbox drained) */
  invoicedOrderOfA(): Promise<string>;
  /** a new paid order of customer A, refunded in part: its id and its credit note's */
  creditNoteOfA(): Promise<{ orderId: string; id: string }>;
  /** a new delivered order of customer A */
  deliveredOrderOfA(): Promise<string>;
  /** a new return of one unit of a new delivered order of A, moved to `status` by the admin */
  returnOfA(
    status: 'requested' | 'approved' | 'received',
  ): Promise<{ id: string; orderId: string; lineId: string; due: number }>;
  /** a new stock location, and the default one (which has the fixture products' stock) */
  stockLocation(): Promise<{ id: string; defaultId: string }>;
  /** a new staff member, invited by the owner and not signed in yet */
  invitedMember(): Promise<string>;
  /** a new staff member, invited and then deactivated by the owner */
  deactivatedMember(): Promise<string>;
}

type Row = {
  /** expected status: [anonymous, customer A, customer B, admin (the owner)] */
  expect: [number, number, number, number];
  /** expected status: [staff, support] */
  staff: [number, number];
  request(f: Fixtures, actor: Actor): Promise<Request>;
  after?(f: Fixtures, actor: Actor): Promise<void>;
};

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const unique = () => `${randomBytes(5).toString('hex')}@example.com`;
const region = () => randomBytes(4).toString('hex').toUpperCase();
const newZone = () => ({ name: `Zone ${region()}`, areas: [{ country: 'US', region: region() }] });

/** The id of a returnable line of an order of A (set once the app is up). */
let lineOf: (orderId: string) => Promise<string>;

// prettier-ignore
const MATRIX: Record<string, Row> = {
  //                                   anon   A     B    admin
  register:           { expect: [202, 202, 202, 202], staff: [202, 202], request: async () => ({ method: 'POST', url: '/api/v1/auth/register', body: { email: unique(), password: 'correct horse battery', name: 'New' } }) },
  login:              { expect: [200, 200, 200, 200], staff: [200, 200], request: async (f) => ({ method: 'POST', url: '/api/v1/auth/login', body: { email: f.a.email, password: 'correct horse battery' } }) },
  // signing out revokes every token of the account: the actor signs in again after it
  logout:             { expect: [401, 204, 204, 204], staff: [204, 204], request: async () => ({ method: 'POST', url: '/api/v1/auth/logout' }), after: (f, actor) => f.signInAgain(actor) },
  // 422: the current password given is wrong (past authorization, stopped by the rule, nothing changed)
  changePassword:     { expect: [401, 422, 422, 422], staff: [422, 422], request: async () => ({ method: 'POST', url: '/api/v1/auth/password', body: { currentPassword: 'not the password', newPassword: 'a brand new passphrase 77' } }) },
  requestPasswordReset: { expect: [202, 202, 202, 202], staff: [202, 202], request: async (f) => ({ method: 'POST', url: '/api/v1/auth/password-reset', body: { email: f.a.email } }) },
  // 422: no such reset link
  resetPassword:      { expect: [422, 422, 422, 422], staff: [422, 422], request: async () => ({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', body: { token: 'no-such-token', password: 'a brand new passphrase 77' } }) },
  updateAccount:      { expect: [401, 200, 200, 200], staff: [200, 200], request: async () => ({ method: 'PATCH', url: '/api/v1/account', body: { phone: '+1 555 0100' } }) },
  listAddresses:      { expect: [401, 200, 200, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/account/addresses' }) },
  createAddress:      { expect: [401, 201, 201, 201], staff: [201, 201], request: async () => ({ method: 'POST', url: '/api/v1/account/addresses', body: ADDRESS }) },
  // someone else's address is a 404
  updateAddress:      { expect: [401, 200, 404, 404], staff: [404, 404], request: async (f) => ({ method: 'PUT', url: `/api/v1/account/addresses/${await f.addressOfA()}`, body: { ...ADDRESS, label: 'Work' } }) },
  deleteAddress:      { expect: [401, 204, 404, 404], staff: [404, 404], request: async (f) => ({ method: 'DELETE', url: `/api/v1/account/addresses/${await f.addressOfA()}` }) },
  getMe:              { expect: [401, 200, 200, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/auth/me' }) },
  listProducts:       { expect: [200, 200, 200, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/products' }) },
  getProduct:         { expect: [200, 200, 200, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/products/${(await f.product()).id}` }) },
  createProduct:      { expect: [401, 403, 403, 201], staff: [403, 403], request: async () => ({ method: 'POST', url: '/api/v1/products', body: { sku: `M-${randomBytes(4).toString('hex')}`, name: 'Matrix', price: 1 } }) },
  updateProduct:      { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/products/${(await f.product()).id}`, body: { price: 2 } }) },
  adjustStock:        { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/products/${(await f.product()).id}/stock`, body: { operation: 'add', quantity: 1 } }) },
  adjustVariantStock: { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/variants/${(await f.product()).id}/stock`, body: { operation: 'add', quantity: 1 } }) },
  addVariant:         { expect: [401, 403, 403, 201], staff: [403, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/products/${await f.productWithOptions()}/variants`, body: { sku: `M-${randomBytes(4).toString('hex')}`, options: { Size: `S${randomBytes(2).toString('hex')}` }, price: 3 } }) },
  updateVariant:      { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/variants/${(await f.product()).id}`, body: { price: 3 } }) },
  listCategories:     { expect: [200, 200, 200, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/categories' }) },
  createCategory:     { expect: [401, 403, 403, 201], staff: [403, 403], request: async () => ({ method: 'POST', url: '/api/v1/admin/categories', body: { name: `Matrix ${randomBytes(4).toString('hex')}` } }) },
  updateCategory:     { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/admin/categories/${await f.category()}`, body: { position: 2 } }) },
  deleteCategory:     { expect: [401, 403, 403, 204], staff: [403, 403], request: async (f) => ({ method: 'DELETE', url: `/api/v1/admin/categories/${await f.category()}` }) },
  uploadImage:        { expect: [401, 403, 403, 201], staff: [403, 403], request: async () => ({ method: 'POST', url: '/api/v1/admin/images', png: PNG }) },
  listInventory:      { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/inventory' }) },
  listStockLocations: { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/stock-locations' }) },
  createStockLocation: { expect: [401, 403, 403, 201], staff: [201, 403], request: async () => ({ method: 'POST', url: '/api/v1/admin/stock-locations', body: { name: 'Matrix depot', code: `M${randomBytes(4).toString('hex')}` } }) },
  updateStockLocation: { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/admin/stock-locations/${(await f.stockLocation()).id}`, body: { name: 'Matrix renamed' } }) },
  getAllocationRule:  { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/inventory/allocation-rule' }) },
  setAllocationRule:  { expect: [401, 403, 403, 200], staff: [200, 403], request: async () => ({ method: 'PUT', url: '/api/v1/admin/inventory/allocation-rule', body: { rule: 'priority' } }) },
  transferStock:      { expect: [401, 403, 403, 201], staff: [201, 403], request: async (f) => { const l = await f.stockLocation(); return { method: 'POST', url: '/api/v1/admin/stock-transfers', body: { fromLocationId: l.defaultId, toLocationId: l.id, items: [{ variantId: (await f.product()).id, quantity: 1 }] } }; } },
  listStockTransfers: { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/stock-transfers' }) },
  listDiscountCodes:  { expect: [401, 403, 403, 200], staff: [403, 403], request: async () => ({ method: 'GET', url: '/api/v1/admin/discount-codes' }) },
  createDiscountCode: { expect: [401, 403, 403, 201], staff: [403, 403], request: async () => ({ method: 'POST', url: '/api/v1/admin/discount-codes', body: { code: `M${randomBytes(4).toString('hex')}`, kind: 'percentage', percentage: 10 } }) },
  getDiscountCode:    { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'GET', url: `/api/v1/admin/discount-codes/${await f.discountCode()}` }) },
  updateDiscountCode: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/admin/discount-codes/${await f.discountCode()}`, body: { active: false } }) },
  // placing an order for customer A: only A may; anyone else is refused, admins included
  createOrder:        { expect: [401, 201, 403, 403], staff: [403, 403], request: async (f) => { const p = await f.product(); return { method: 'POST', url: '/api/v1/orders', body: orderBody(f.a.id, [{ productId: p.id, quantity: 1, price: p.price }]) }; } },
  listOrders:         { expect: [401, 200, 200, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/orders' }) },
  getOrder:           { expect: [401, 200, 404, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/orders/${await f.orderOfA()}` }) },
  modifyOrder:        { expect: [401, 200, 404, 200], staff: [200, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/orders/${await f.orderOfA()}`, body: { shippingAddress: { ...ADDRESS, street: '1 Other St' } } }) },
  quoteOrderModification: { expect: [401, 200, 404, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/orders/${await f.orderOfA()}/modification-quote`, body: { items: [{ productId: (await f.product()).id, quantity: 1 }] } }) },
  quoteCheckout:      { expect: [200, 200, 200, 200], staff: [200, 200], request: async (f) => ({ method: 'POST', url: '/api/v1/checkout/quote', body: { items: [{ productId: (await f.product()).id, quantity: 1 }], shippingAddress: ADDRESS } }) },
  getOrderTimeline:   { expect: [401, 200, 404, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/orders/${await f.orderOfA()}/timeline` }) },
  cancelOrder:        { expect: [401, 200, 404, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/orders/${await f.orderOfA()}/cancel`, body: { reason: 'changed my mind' } }) },
  adminListOrders:    { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/orders' }) },
  exportOrdersCsv:    { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/orders/export.csv?status=confirmed' }) },
  exportOrderLinesCsv: { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/order-lines/export.csv?status=confirmed' }) },
  // admin: 409, the order is already confirmed (confirming is for paid orders stuck in pending)
  confirmOrder:       { expect: [401, 403, 403, 409], staff: [409, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/orders/${await f.orderOfA()}/confirm` }) },
  shipOrder:          { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/orders/${await f.orderOfA()}/ship`, body: { trackingNumber: 'TRACK-1234', carrier: 'UPS' } }) },
  deliverOrder:       { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/orders/${await f.shippedOrderOfA()}/deliver` }) },
  createShipment:     { expect: [401, 403, 403, 201], staff: [201, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/orders/${await f.orderOfA()}/shipments`, body: { trackingNumber: 'TRACK-4321', carrier: 'UPS' } }) },
  deliverShipment:    { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => { const s = await f.shipmentOfA(); return { method: 'POST', url: `/api/v1/admin/orders/${s.orderId}/shipments/${s.shipmentId}/deliver` }; } },
  // the order's owner and admins; another customer's order is a 404
  listOrderShipments: { expect: [401, 200, 404, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/orders/${(await f.shipmentOfA()).orderId}/shipments` }) },
  adminCancelOrder:   { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/orders/${await f.orderOfA()}/cancel`, body: { reason: 'fraud check' } }) },
  refundOrder:        { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/orders/${await f.orderOfA()}/refund`, body: { amount: 1, reason: 'goodwill' } }) },
  getShopDetails:     { expect: [401, 403, 403, 200], staff: [403, 403], request: async () => ({ method: 'GET', url: '/api/v1/admin/shop-details' }) },
  updateShopDetails:  { expect: [401, 403, 403, 200], staff: [403, 403], request: async () => ({ method: 'PUT', url: '/api/v1/admin/shop-details', body: { legalName: 'Matrix Ltd', address: '1 Test St', taxId: '', registrationNumber: '', contactEmail: '', invoiceFooter: '', attachInvoiceToConfirmation: false } }) },
  listOrderDocuments: { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/admin/orders/${await f.invoicedOrderOfA()}/documents` }) },
  downloadOrderInvoice: { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/admin/orders/${await f.invoicedOrderOfA()}/invoice.pdf` }) },
  downloadCreditNote: { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => { const n = await f.creditNoteOfA(); return { method: 'GET', url: `/api/v1/admin/orders/${n.orderId}/credit-notes/${n.id}.pdf` }; } },
  downloadPackingSlip: { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/admin/orders/${await f.orderOfA()}/packing-slip.pdf` }) },
  downloadShipmentPackingSlip: { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => { const s = await f.shipmentOfA(); return { method: 'GET', url: `/api/v1/admin/orders/${s.orderId}/shipments/${s.shipmentId}/packing-slip.pdf` }; } },
  // A's own invoice: another customer's order is a 404
  downloadMyInvoice:  { expect: [401, 200, 404, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/orders/${await f.invoicedOrderOfA()}/invoice.pdf` }) },
  listStaff:          { expect: [401, 403, 403, 200], staff: [403, 403], request: async () => ({ method: 'GET', url: '/api/v1/admin/staff' }) },
  inviteStaffMember:  { expect: [401, 403, 403, 201], staff: [403, 403], request: async () => ({ method: 'POST', url: '/api/v1/admin/staff', body: { email: unique(), name: 'Invited', role: 'support' } }) },
  changeStaffRole:    { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/admin/staff/${await f.invitedMember()}`, body: { role: 'staff' } }) },
  deactivateStaffMember: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/staff/${await f.invitedMember()}/deactivate` }) },
  reactivateStaffMember: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/staff/${await f.deactivatedMember()}/reactivate` }) },
  listAuditLog:       { expect: [401, 403, 403, 200], staff: [403, 403], request: async () => ({ method: 'GET', url: '/api/v1/admin/audit-log' }) },
  getAdminStats:      { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/stats' }) },
  listCustomers:      { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/customers' }) },
  getCustomer:        { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/admin/customers/${f.a.id}` }) },
  getCart:            { expect: [401, 200, 200, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/cart' }) },
  addCartItem:        { expect: [401, 200, 200, 200], staff: [200, 200], request: async (f) => ({ method: 'POST', url: '/api/v1/cart/items', body: { productId: (await f.product()).id, quantity: 1 } }) },
  // B and the admin each have their own cart, without A's product in it
  updateCartItem:     { expect: [401, 200, 404, 404], staff: [404, 404], request: async (f) => ({ method: 'PUT', url: `/api/v1/cart/items/${await f.cartItemOfA()}`, body: { quantity: 2 } }) },
  removeCartItem:     { expect: [401, 200, 200, 200], staff: [200, 200], request: async (f) => ({ method: 'DELETE', url: `/api/v1/cart/items/${await f.cartItemOfA()}` }) },
  // with empty carts of their own, B and the admin get 422 cart_empty: never A's cart
  checkoutCart:       { expect: [401, 201, 422, 422], staff: [422, 422], request: async (f, actor) => { await f.cartItemOfA(); await f.emptyCartOf(actor); return { method: 'POST', url: '/api/v1/cart/checkout', body: { shippingAddress: ADDRESS, paymentMethod: { type: 'card', token: 'tok_visa' } } }; } },
  listNotifications:  { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/notifications' }) },
  getNotification:    { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/admin/notifications/${await f.notificationId()}` }) },
  resendNotification: { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/notifications/${await f.notificationId()}/resend` }) },
  // returns (docs/returns.md): the order's owner asks (an admin may, for them); another customer's order is a 404
  getReturnPolicy:    { expect: [200, 200, 200, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/returns/policy' }) },
  updateReturnPolicy: { expect: [401, 403, 403, 200], staff: [403, 403], request: async () => ({ method: 'PUT', url: '/api/v1/admin/return-policy', body: { windowDays: 30 } }) },
  requestReturn:      { expect: [401, 201, 404, 201], staff: [201, 201], request: async (f) => { const id = await f.deliveredOrderOfA(); const lineId = await lineOf(id); return { method: 'POST', url: `/api/v1/orders/${id}/returns`, body: { lines: [{ lineId, quantity: 1 }], reason: 'changed_mind' } }; } },
  quoteReturn:        { expect: [401, 200, 404, 200], staff: [200, 200], request: async (f) => { const id = await f.deliveredOrderOfA(); const lineId = await lineOf(id); return { method: 'POST', url: `/api/v1/orders/${id}/returns/quote`, body: { lines: [{ lineId, quantity: 1 }] } }; } },
  listOrderReturns:   { expect: [401, 200, 404, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/orders/${await f.deliveredOrderOfA()}/returns` }) },
  adminListReturns:   { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/returns?status=requested' }) },
  adminGetReturn:     { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/admin/returns/${(await f.returnOfA('requested')).id}` }) },
  approveReturn:      { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/returns/${(await f.returnOfA('requested')).id}/approve` }) },
  rejectReturn:       { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/returns/${(await f.returnOfA('requested')).id}/reject`, body: { reason: 'worn' } }) },
  receiveReturn:      { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => { const r = await f.returnOfA('approved'); return { method: 'POST', url: `/api/v1/admin/returns/${r.id}/receive`, body: { lines: [{ lineId: r.lineId, disposition: 'restock' }] } }; } },
  // a plain return replaces nothing: past authorization, the admin meets 409 not_an_exchange
  shipExchangeReplacement: { expect: [401, 403, 403, 409], staff: [409, 403], request: async (f) => { const r = await f.returnOfA('approved'); return { method: 'POST', url: `/api/v1/admin/returns/${r.id}/replacement-shipment`, body: { carrier: 'DHL', trackingNumber: 'JD0146000012345' } }; } },
  refundReturn:       { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => { const r = await f.returnOfA('received'); return { method: 'POST', url: `/api/v1/admin/returns/${r.id}/refund`, body: { expectedAmount: r.due } }; } },
  cancelReturn:       { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/returns/${(await f.returnOfA('approved')).id}/cancel`, body: { reason: 'never sent' } }) },
  // the order's owner withdraws their return; a staff member needs `returns`, as cancelReturn does
  withdrawReturn:     { expect: [401, 200, 404, 200], staff: [200, 403], request: async (f) => { const r = await f.returnOfA('requested'); return { method: 'POST', url: `/api/v1/orders/${r.orderId}/returns/${r.id}/withdraw` }; } },
  // guest checkout: an email instead of a sign-in, whoever asks (a token is read, not needed)
  placeGuestOrder:    { expect: [201, 201, 201, 201], staff: [201, 201], request: async (f) => { const p = await f.product(); return { method: 'POST', url: '/api/v1/guest/orders', body: { email: unique(), name: 'Guest', items: [{ productId: p.id, quantity: 1, price: p.price }], shippingAddress: ADDRESS, paymentMethod: { type: 'card', token: 'tok_visa' } } }; } },
  // the link's token is what opens the order, for whoever holds it
  getGuestOrder:      { expect: [200, 200, 200, 200], staff: [200, 200], request: async (f) => { const o = await f.guestOrder(); return { method: 'GET', url: `/api/v1/guest/orders/${o.id}?token=${o.accessToken}` }; } },
  // draft orders are the admin's (ADR 0023); the payment link's token is what pays, for whoever holds it
  listDraftOrders:    { expect: [401, 403, 403, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/admin/draft-orders' }) },
  getDraftOrder:      { expect: [401, 403, 403, 200], staff: [200, 200], request: async (f) => ({ method: 'GET', url: `/api/v1/admin/draft-orders/${await f.draftOfA()}` }) },
  createDraftOrder:   { expect: [401, 403, 403, 201], staff: [201, 403], request: async (f) => { const p = await f.product(); return { method: 'POST', url: '/api/v1/admin/draft-orders', body: { customer: { accountId: f.a.id }, items: [{ productId: p.id, quantity: 1 }], shippingAddress: ADDRESS } }; } },
  updateDraftOrder:   { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/admin/draft-orders/${await f.draftOfA()}`, body: { shippingAddress: { ...ADDRESS, street: '9 Phone St' } } }) },
  deleteDraftOrder:   { expect: [401, 403, 403, 204], staff: [204, 403], request: async (f) => ({ method: 'DELETE', url: `/api/v1/admin/draft-orders/${await f.draftOfA()}` }) },
  recordOfflinePayment: { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/draft-orders/${await f.draftOfA()}/offline-payment`, body: { amount: 20, method: 'cash' } }) },
  sendPaymentLink:    { expect: [401, 403, 403, 200], staff: [200, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/draft-orders/${await f.draftOfA()}/payment-link` }) },
  getPayableOrder:    { expect: [200, 200, 200, 200], staff: [200, 200], request: async (f) => { const l = await f.paymentLink(); return { method: 'GET', url: `/api/v1/orders/${l.id}/pay?token=${encodeURIComponent(l.token)}` }; } },
  payOrderByLink:     { expect: [200, 200, 200, 200], staff: [200, 200], request: async (f) => { const l = await f.paymentLink(); return { method: 'POST', url: `/api/v1/orders/${l.id}/pay`, body: { token: l.token, paymentMethod: { type: 'card', token: 'tok_visa' } } }; } },
  // A is a registered customer: their orders are never found by number and email, only by signing in
  lookupGuestOrder:   { expect: [404, 404, 404, 404], staff: [404, 404], request: async (f) => ({ method: 'POST', url: '/api/v1/guest/orders/lookup', body: { number: await f.orderNumberOfA(), email: f.a.email } }) },
  // 422: no such claim link
  claimAccount:       { expect: [422, 422, 422, 422], staff: [422, 422], request: async () => ({ method: 'POST', url: '/api/v1/auth/claim', body: { token: 'no-such-token', password: 'a brand new passphrase 77', name: 'Claimer' } }) },
  // public: stock levels for everyone; order events only with an admin token
  streamEvents:       { expect: [200, 200, 200, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/events/stream' }) },
  // any signed-in account: it carries only the events of that account's own orders
  streamMyOrderEvents: { expect: [401, 200, 200, 200], staff: [200, 200], request: async () => ({ method: 'GET', url: '/api/v1/events/my-orders' }) },
  listShippingZones:  { expect: [401, 403, 403, 200], staff: [403, 403], request: async () => ({ method: 'GET', url: '/api/v1/admin/shipping/zones' }) },
  createShippingZone: { expect: [401, 403, 403, 201], staff: [403, 403], request: async () => ({ method: 'POST', url: '/api/v1/admin/shipping/zones', body: newZone() }) },
  updateShippingZone: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/admin/shipping/zones/${await f.shippingZone()}`, body: { name: newZone().name } }) },
  deleteShippingZone: { expect: [401, 403, 403, 204], staff: [403, 403], request: async (f) => ({ method: 'DELETE', url: `/api/v1/admin/shipping/zones/${await f.shippingZone()}` }) },
  createShippingMethod: { expect: [401, 403, 403, 201], staff: [403, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/shipping/zones/${await f.shippingZone()}/methods`, body: { name: 'Matrix', rate: { kind: 'flat', price: 1 } } }) },
  updateShippingMethod: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/admin/shipping/methods/${await f.shippingMethod()}`, body: { position: 2 } }) },
  deactivateShippingMethod: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/shipping/methods/${await f.shippingMethod()}/deactivate` }) },
  listTaxRates:       { expect: [401, 403, 403, 200], staff: [403, 403], request: async () => ({ method: 'GET', url: '/api/v1/admin/tax/rates' }) },
  createTaxRate:      { expect: [401, 403, 403, 201], staff: [403, 403], request: async (f) => ({ method: 'POST', url: '/api/v1/admin/tax/rates', body: { zoneId: await f.shippingZone(), name: 'Matrix tax', rateBasisPoints: 500 } }) },
  updateTaxRate:      { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/admin/tax/rates/${await f.taxRate()}`, body: { rateBasisPoints: 600 } }) },
  deleteTaxRate:      { expect: [401, 403, 403, 204], staff: [403, 403], request: async (f) => ({ method: 'DELETE', url: `/api/v1/admin/tax/rates/${await f.taxRate()}` }) },
  // outgoing webhooks: the admin's settings (permission `settings`)
  listWebhookEventTypes: { expect: [401, 403, 403, 200], staff: [403, 403], request: async () => ({ method: 'GET', url: '/api/v1/admin/webhook-event-types' }) },
  listWebhookEndpoints: { expect: [401, 403, 403, 200], staff: [403, 403], request: async () => ({ method: 'GET', url: '/api/v1/admin/webhooks' }) },
  createWebhookEndpoint: { expect: [401, 403, 403, 201], staff: [403, 403], request: async () => ({ method: 'POST', url: '/api/v1/admin/webhooks', body: { url: 'http://127.0.0.1:9/matrix', eventTypes: ['OrderPlaced'] } }) },
  getWebhookEndpoint: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'GET', url: `/api/v1/admin/webhooks/${await f.webhookEndpoint()}` }) },
  updateWebhookEndpoint: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'PATCH', url: `/api/v1/admin/webhooks/${await f.webhookEndpoint()}`, body: { enabled: false } }) },
  deleteWebhookEndpoint: { expect: [401, 403, 403, 204], staff: [403, 403], request: async (f) => ({ method: 'DELETE', url: `/api/v1/admin/webhooks/${await f.webhookEndpoint()}` }) },
  revealWebhookSecret: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/webhooks/${await f.webhookEndpoint()}/secret/reveal` }) },
  rotateWebhookSecret: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/webhooks/${await f.webhookEndpoint()}/secret/rotate` }) },
  sendWebhookTestEvent: { expect: [401, 403, 403, 201], staff: [403, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/webhooks/${await f.webhookEndpoint()}/test` }) },
  listWebhookDeliveries: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'GET', url: `/api/v1/admin/webhooks/${await f.webhookEndpoint()}/deliveries` }) },
  getWebhookDelivery: { expect: [401, 403, 403, 200], staff: [403, 403], request: async (f) => ({ method: 'GET', url: `/api/v1/admin/webhook-deliveries/${await f.webhookDelivery()}` }) },
  replayWebhookDelivery: { expect: [401, 403, 403, 201], staff: [403, 403], request: async (f) => ({ method: 'POST', url: `/api/v1/admin/webhook-deliveries/${await f.webhookDelivery()}/replay` }) },
};

describe('authorization matrix: every operation × anonymous, customer A, customer B, owner, staff, support', () => {
  let t: TestApp;
  let api: Api;
  let tokens: Record<Actor, string | undefined>;
  let fixtures: Fixtures;

  before(async () => {
    t = await createTestApp();
    api = await loadApi(t);
    const a = await t.customer('Alice');
    const b = await t.customer('Bob');
    const staff = await staffMember(t, 'staff', 'Stella Staff');
    const support = await staffMember(t, 'support', 'Sam Support');
    tokens = {
      anonymous: undefined,
      customerA: a.token,
      customerB: b.token,
      admin: await t.adminToken(),
      staff: staff.token,
      support: support.token,
    };
    const product = () => t.product({ price: 20, stock: 100 });
    const orderOfA = async () => placeOrder(t, a, await product());
    const deliveredOrderOfA = async () => {
      const id = await orderOfA();
      for (const step of ['ship', 'deliver'] as const) {
        const res = await t.request('POST', `/api/v1/admin/orders/${id}/${step}`, {
          token: await t.adminToken(),
          ...(step === 'ship' && { body: { trackingNumber: 'TRACK-9012', carrier: 'UPS' } }),
        });
        assert.equal(res.status, 200, `fixture: ${step}`);
      }
      return id;
    };
    lineOf = async (orderId) => {
      const res = await t.request<{ returnable: Array<{ lineId: string }> }>(
        'GET',
        `/api/v1/orders/${orderId}/returns`,
        {
          token: a.token,
        },
      );
      const line = res.body.returnable[0];
      assert.ok(line, 'fixture: a returnable line');
      return line.lineId;
    };
    const ids: Record<Actor, string | null> = {
      anonymous: null,
      customerA: a.id,
      customerB: b.id,
      admin: null,
      staff: staff.id,
      support: support.id,
    };
    const me = await t.request<{ id: string }>('GET', '/api/v1/auth/me', { token: tokens.admin });
    ids.admin = me.body.id;
    const ownerId = me.body.id;
    const emails: Record<Actor, string | null> = {
      anonymous: null,
      customerA: a.email,
      customerB: b.email,
      admin: null,
      staff: staff.email,
      support: support.email,
    };
    fixtures = {
      a,
      async addressOfA() {
        const res = await t.request<{ id: string }>('POST', '/api/v1/account/addresses', {
          token: a.token,
          body: ADDRESS,
        });
        assert.equal(res.status, 201, 'fixture: address saved');
        return res.body.id;
      },
      async signInAgain(actor) {
        if (actor === 'admin') {
          tokens.admin = await t.adminToken(true);
          return;
        }
        const email = emails[actor];
        if (!email) return;
        const password = actor === 'staff' || actor === 'support' ? STAFF_PASSWORD : 'correct horse battery';
        const res = await t.request<{ token: string }>('POST', '/api/v1/auth/login', {
          body: { email, password },
        });
        assert.equal(res.status, 200, 'fixture: signed in');
        tokens[actor] = res.body.token;
        if (actor === 'customerA') a.token = res.body.token;
      },
      async emptyCartOf(actor) {
        const id = ids[actor];
        if (actor === 'customerA' || !id) return;
        await t.app.database.db.deleteFrom('cart_item').where('customer_id', '=', id).execute();
      },
      product,
      orderOfA,
      deliveredOrderOfA,
      async returnOfA(status) {
        const orderId = await deliveredOrderOfA();
        const lineId = await lineOf(orderId);
        const asked = await t.request<{ id: string }>('POST', `/api/v1/orders/${orderId}/returns`, {
          token: a.token,
          body: { lines: [{ lineId, quantity: 1 }], reason: 'wrong_size' },
        });
        assert.equal(asked.status, 201, 'fixture: return requested');
        const admin = await t.adminToken();
        const steps = { requested: [], approved: ['approve'], received: ['approve', 'receive'] }[status];
        let due = 0;
        for (const step of steps) {
          const res = await t.request<{ refundDue: { amount: number } | null }>(
            'POST',
            `/api/v1/admin/returns/${asked.body.id}/${step}`,
            {
              token: admin,
              ...(step === 'receive' && { body: { lines: [{ lineId, disposition: 'restock' }] } }),
            },
          );
          assert.equal(res.status, 200, `fixture: return ${step}`);
          due = res.body.refundDue?.amount ?? 0;
        }
        return { id: asked.body.id, orderId, lineId, due };
      },
      async invitedMember() {
        const member = await t.app.services.staff.invite(
          { id: ownerId },
          { email: unique(), name: 'Invited', role: 'support' },
        );
        return member.id;
      },
      async deactivatedMember() {
        const member = await t.app.services.staff.invite(
          { id: ownerId },
          { email: unique(), name: 'Deactivated', role: 'support' },
        );
        await t.app.services.staff.deactivate({ id: ownerId }, member.id);
        return member.id;
      },
      async draftOfA() {
        const p = await product();
        const res = await t.request<{ id: string }>('POST', '/api/v1/admin/draft-orders', {
          token: await t.adminToken(),
          body: {
            customer: { accountId: a.id },
            items: [{ productId: p.id, quantity: 1 }],
            shippingAddress: ADDRESS,
          },
        });
        assert.equal(res.status, 201, 'fixture: draft created');
        return res.body.id;
      },
      async paymentLink() {
        const p = await product();
        const email = unique();
        const admin = await t.adminToken();
        const draft = await t.request<{ id: string }>('POST', '/api/v1/admin/draft-orders', {
          token: admin,
          body: {
            customer: { email, name: 'Phone' },
            items: [{ productId: p.id, quantity: 1 }],
            shippingAddress: ADDRESS,
          },
        });
        assert.equal(draft.status, 201, 'fixture: draft created');
        const sent = await t.request('POST', `/api/v1/admin/draft-orders/${draft.body.id}/payment-link`, {
          token: admin,
        });
        assert.equal(sent.status, 200, 'fixture: payment link sent');
        const mail = await t.app.database.db
          .selectFrom('notification')
          .select('body_text')
          .where('recipient', '=', email)
          .where('template', '=', 'order_payment_link')
          .executeTakeFirstOrThrow();
        const token = /\?token=([^\s]+)/.exec(mail.body_text)?.[1];
        assert.ok(token, 'fixture: the email carries the link');
        return { id: draft.body.id, token: decodeURIComponent(token) };
      },
      async stockLocation() {
        const inventory = t.app.services.inventory;
        const code = `M${randomBytes(4).toString('hex')}`;
        const created = await inventory.createLocation(
          { name: 'Matrix depot', code: code.toUpperCase() },
          null,
        );
        return { id: created.id, defaultId: (await inventory.defaultLocation(t.app.database.db)).id };
      },
      async shippingZone() {
        return (await t.app.services.shipping.createZone(newZone(), null)).id;
      },
      async shippingMethod() {
        const zone = await t.app.services.shipping.createZone(newZone(), null);
        const rate = { kind: 'flat', priceMinor: 100 } as const;
        return (
          await t.app.services.shipping.createMethod(zone.id, { name: 'Matrix', rate, position: 0 }, null)
        ).id;
      },
      async productWithOptions() {
        const sku = `MO-${randomBytes(4).toString('hex')}`;
        const product = await t.app.services.catalog.create({
          sku,
          name: 'Matrix options',
          description: '',
          priceMinor: 100,
          initialStock: 0,
          options: [{ name: 'Size', values: ['M'] }],
          variants: [
            {
              sku: `${sku}-M`,
              options: { Size: 'M' },
              priceMinor: 100,
              weightGrams: 0,
              taxCategory: null,
              initialStock: 1,
            },
          ],
        });
        return product.id;
      },
      async category() {
        const name = `Matrix ${randomBytes(4).toString('hex')}`;
        return (await t.app.services.catalog.createCategory({ name, parentId: null, position: 0 })).id;
      },
      async webhookEndpoint() {
        const input = {
          url: 'http://127.0.0.1:9/matrix',
          description: '',
          eventTypes: ['OrderPlaced'],
          enabled: true,
        };
        return (await t.app.services.webhooks.createEndpoint(input, null)).endpoint.id;
      },
      async webhookDelivery() {
        return (await t.app.services.webhooks.sendTest(await this.webhookEndpoint())).id;
      },
      async taxRate() {
        const zone = await t.app.services.shipping.createZone(newZone(), null);
        const rate = { zoneId: zone.id, category: null, name: 'Matrix tax', rateBasisPoints: 500 };
        return (await t.app.services.tax.create(rate, null)).id;
      },
      async shipmentOfA() {
        const orderId = await orderOfA();
        const res = await t.request<{ shipment: { id: string } }>(
          'POST',
          `/api/v1/admin/orders/${orderId}/shipments`,
          {
            token: tokens.admin,
            body: { trackingNumber: 'TRACK-8765', carrier: 'DHL' },
          },
        );
        assert.equal(res.status, 201, 'fixture: one shipment');
        return { orderId, shipmentId: res.body.shipment.id };
      },
      async shippedOrderOfA() {
        const id = await orderOfA();
        const res = await t.request('POST', `/api/v1/admin/orders/${id}/ship`, {
          token: tokens.admin,
          body: { trackingNumber: 'TRACK-5678', carrier: 'DHL' },
        });
        assert.equal(res.status, 200, 'fixture: shipped');
        return id;
      },
      async cartItemOfA() {
        const p = await product();
        const res = await t.request('POST', '/api/v1/cart/items', {
          token: a.token,
          body: { productId: p.id, quantity: 1 },
        });
        assert.equal(res.status, 200, 'fixture: in the cart');
        return p.id;
      },
      async discountCode() {
        const code = await t.app.services.promotions.create(
          {
            code: `M${randomBytes(4).toString('hex')}`,
            rule: { kind: 'free_shipping' },
            minimumSubtotalMinor: null,
            startsAt: null,
            endsAt: null,
            usageLimit: null,
            perCustomerLimit: null,
            active: true,
          },
          null,
        );
        return code.id;
      },
      async guestOrder() {
        const p = await product();
        const res = await t.request<{ id: string; accessToken: string }>('POST', '/api/v1/guest/orders', {
          body: {
            email: unique(),
            name: 'Guest',
            items: [{ productId: p.id, quantity: 1, price: p.price }],
            shippingAddress: ADDRESS,
            paymentMethod: { type: 'card', token: 'tok_visa' },
          },
        });
        assert.equal(res.status, 201, 'fixture: guest order placed');
        return res.body;
      },
      async orderNumberOfA() {
        const id = await orderOfA();
        const res = await t.request<{ orderNumber: number }>('GET', `/api/v1/orders/${id}`, {
          token: a.token,
        });
        assert.equal(res.status, 200, 'fixture: order read');
        return res.body.orderNumber;
      },
      async invoicedOrderOfA() {
        const id = await orderOfA();
        await t.app.outbox.drain();
        return id;
      },
      async creditNoteOfA() {
        const orderId = await orderOfA();
        const refunded = await t.request('POST', `/api/v1/admin/orders/${orderId}/refund`, {
          token: await t.adminToken(),
          body: { amount: 1, reason: 'goodwill' },
          headers: { 'idempotency-key': `matrix-${orderId}` },
        });
        assert.equal(refunded.status, 200, 'fixture: refunded');
        await t.app.outbox.drain();
        const note = await t.app.database.db
          .selectFrom('credit_note')
          .select('id')
          .where('order_id', '=', orderId)
          .executeTakeFirstOrThrow();
        return { orderId, id: note.id };
      },
      async notificationId() {
        await orderOfA();
        await t.app.outbox.drain();
        const row = await t.app.database.db
          .selectFrom('notification')
          .select('id')
          .orderBy('created_at', 'desc')
          .executeTakeFirstOrThrow();
        return row.id;
      },
    };
  });
  after(() => t.close());

  test('every operation of the API has a row in the table', async () => {
    const missing = api.operations.map((o) => o.id).filter((id) => !(id in MATRIX));
    assert.deepEqual(
      missing,
      [],
      `operations without an authorization rule in the matrix: ${missing.join(', ')}`,
    );
    const stale = Object.keys(MATRIX).filter((id) => !api.operations.some((o) => o.id === id));
    assert.deepEqual(stale, [], `rows for operations that no longer exist: ${stale.join(', ')}`);
  });

  for (const [operationId, row] of Object.entries(MATRIX)) {
    test(`${operationId}: ${ACTORS.map((a, i) => `${a} ${row.expect[i]}`).join(', ')}`, async () => {
      const op = api.operations.find((o) => o.id === operationId);
      assert.ok(op, `${operationId} is an operation of the API`);
      const expected = [...row.expect, ...row.staff];
      const got: number[] = [];
      for (const actor of ACTORS) {
        const req = await row.request(fixtures, actor);
        assert.equal(req.method, op.method, `${operationId} is ${op.method}`);
        const headers: Record<string, string> = {};
        if (tokens[actor]) headers['authorization'] = `Bearer ${tokens[actor]}`;
        if (req.body !== undefined) headers['content-type'] = 'application/json';
        if (req.png) headers['content-type'] = 'image/png';
        const raw = {
          method: req.method,
          url: req.url,
          headers,
          ...(req.body !== undefined && { payload: JSON.stringify(req.body) }),
          ...(req.png && { payload: req.png }),
        };
        const res = op.stream ? await overHttp(t, raw) : await inject(t, raw);
        got.push(res.status);
        await row.after?.(fixtures, actor);
      }
      assert.deepEqual(got, expected, `${operationId} [anonymous, A, B, owner, staff, support]`);
    });
  }

  // Authorization comes before validation: a caller who may not use an admin route learns
  // nothing about what it accepts, whatever they send (broken JSON, wrong fields, a bad id or query);
  // nor does a staff member whose role lacks the route's permission.
  const adminOnly = Object.entries(MATRIX).filter(
    ([, row]) => row.expect[0] === 401 && row.expect[1] === 403,
  );
  for (const [operationId, row] of adminOnly) {
    test(`${operationId}: malformed requests from anonymous, a customer and staff without the permission are refused, not 400`, async () => {
      const op = api.operations.find((o) => o.id === operationId);
      assert.ok(op, `${operationId} is an operation of the API`);
      const url = op.path.replace(/\{[^}]+\}/g, 'not-a-uuid');
      const malformed: Array<{ url: string; payload?: string }> = [
        { url: `${url}?limit=-1&status=nonsense&unknown=1` },
        ...(op.method === 'GET'
          ? []
          : [
              { url, payload: '{"broken json' },
              { url, payload: JSON.stringify({ unexpected: [1, 2, 3] }) },
            ]),
      ];
      const refused: [Actor, number][] = [
        ['anonymous', 401],
        ['customerA', 403],
      ];
      if (row.staff[0] === 403) refused.push(['staff', 403]);
      if (row.staff[1] === 403) refused.push(['support', 403]);
      for (const [actor, expected] of refused) {
        for (const req of malformed) {
          const headers: Record<string, string> = {};
          if (tokens[actor]) headers['authorization'] = `Bearer ${tokens[actor]}`;
          if (req.payload !== undefined) headers['content-type'] = 'application/json';
          const res = await inject(t, {
            method: op.method,
            url: req.url,
            headers,
            ...(req.payload !== undefined && { payload: req.payload }),
          });
          assert.equal(
            res.status,
            expected,
            `${actor} ${op.method} ${req.url} ${req.payload ?? ''}: ${res.body}`,
          );
        }
      }
    });
  }
});
