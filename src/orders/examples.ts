/**
 * The examples the OpenAPI document shows for placing an order, taken from the seed contract
 * (customer, product, 2 × 29.99, the San Francisco address, `tok_visa`) with the ids as UUIDs
 * and the order as Orderly answers it. The mock server (`npm run api:mock`) answers with them,
 * and a contract test checks that they validate against their own schemas.
 */
export const CREATE_ORDER_REQUEST_EXAMPLE = {
  customerId: '0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0e11',
  items: [{ productId: '0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0e22', quantity: 2, price: 29.99 }],
  shippingAddress: { street: '123 Main St', city: 'San Francisco', state: 'CA', zip: '94102' },
  paymentMethod: { type: 'card', token: 'tok_visa' },
} as const;

const allowed = { allowed: true, reason: null };

export const ORDER_EXAMPLE = {
  id: '0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0789',
  orderNumber: 1001,
  customerId: CREATE_ORDER_REQUEST_EXAMPLE.customerId,
  status: 'confirmed',
  detailedStatus: 'confirmed',
  items: [
    {
      id: '0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0a01',
      productId: '0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0e22',
      variantId: '0190d5f4-3c2a-7b6e-9f10-5a3c2b1d0e22',
      name: 'Trail Running Shoes',
      variantTitle: '',
      sku: 'SHOE-TRAIL-01',
      quantity: 2,
      price: 29.99,
      discount: 0,
      tax: 0,
      total: 59.98,
    },
  ],
  subtotal: 59.98,
  discountTotal: 0,
  shippingTotal: 0,
  taxTotal: 0,
  pricesIncludeTax: false,
  taxLines: [],
  shipping: null,
  discount: null,
  total: 59.98,
  currency: 'USD',
  shippingAddress: {
    ...CREATE_ORDER_REQUEST_EXAMPLE.shippingAddress,
    name: 'Jane Doe',
    phone: '+1 415 555 0100',
    country: 'US',
  },
  payment: { status: 'paid', amountPaid: 59.98, amountRefunded: 0 },
  trackingNumber: null,
  carrier: null,
  cancellationReason: null,
  cancellationMessage: null,
  createdAt: '2026-02-14T12:00:00.000Z',
  updatedAt: '2026-02-14T12:00:00.000Z',
  actions: {
    confirm: { allowed: false, reason: 'Only admin can confirm an order.' },
    modify: allowed,
    cancel: allowed,
    ship: { allowed: false, reason: 'Only admin can ship an order.' },
    deliver: { allowed: false, reason: 'Only admin can deliver an order.' },
    refund: { allowed: false, reason: 'Only admin can refund an order.' },
    editDraft: { allowed: false, reason: 'Only admin can edit a draft order.' },
    deleteDraft: { allowed: false, reason: 'Only admin can delete a draft order.' },
    recordOfflinePayment: { allowed: false, reason: 'Only admin can record an offline payment.' },
    sendPaymentLink: { allowed: false, reason: 'Only admin can send a payment link.' },
  },
} as const;
