import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { composeMessages, toE164, type OrderForNotification } from './model.ts';

const ORDER: OrderForNotification = {
  id: '3f2a9c1e-7b4d-4e8a-9c61-0d5e2f8b7a10',
  number: 1042,
  customerId: 'c1',
  currency: 'USD',
  total: 2500,
  shippingAddress: { street: '12 Elm Street', city: 'Springfield', state: 'IL', zip: '62704' },
  lines: [{ name: 'Blue Ceramic Mug', quantity: 2, unitPrice: 1250 }],
};
const CONTACT = { name: 'Jane Doe', email: 'jane@example.com', phone: '+15550100199' };
/** what every order event carries besides its own fields */
const ORDER_FIELDS = { orderId: ORDER.id, customerId: 'c1', timestamp: '2026-01-01T00:00:00.000Z' };

describe('toE164', () => {
  it('drops separators and keeps the country code', () => {
    assert.equal(toE164('+1 (555) 010-0199'), '+15550100199');
    assert.equal(toE164('0044 20 7946 0958'), '+442079460958');
  });

  it('gives null for no number, or one without a country code', () => {
    assert.equal(toE164(null), null);
    assert.equal(toE164(''), null);
    assert.equal(toE164('0171 555 0100'), null);
    assert.equal(toE164('+0 555'), null);
  });
});

describe('composeMessages', () => {
  it('makes one email for a confirmation, to the customer, even with a phone', () => {
    const messages = composeMessages(
      'OrderConfirmed',
      { ...ORDER_FIELDS, total: 2500, currency: 'USD' },
      ORDER,
      CONTACT,
    );
    assert.deepEqual(
      messages.map((m) => [m.channel, m.recipient, m.template]),
      [['email', 'jane@example.com', 'order_confirmed']],
    );
    assert.equal(messages[0]?.subject, 'Order #1042 confirmed');
    assert.match(messages[0]?.html ?? '', /Blue Ceramic Mug/);
  });

  const shipment = (number: number, quantity: number) => ({
    ...ORDER_FIELDS,
    shipmentId: '0190a000-0000-7000-8000-000000000001',
    number,
    lines: [{ lineId: 'l1', variantId: 'v1', sku: 'MUG-BLUE', title: 'Blue Ceramic Mug', quantity }],
    carrier: 'UPS',
    trackingNumber: '1Z999',
    trackingUrl: 'https://track.example/1Z999',
    locationId: 'loc1',
  });

  it('adds an SMS for a shipment only when there is a phone number', () => {
    const both = composeMessages('ShipmentCreated', shipment(1, 2), ORDER, CONTACT);
    assert.deepEqual(
      both.map((m) => [m.channel, m.recipient, m.template]),
      [
        ['email', 'jane@example.com', 'order_shipped'],
        ['sms', '+15550100199', 'sms_order_shipped'],
      ],
    );
    assert.match(both[1]?.text ?? '', /1Z999/);
    assert.equal(both[1]?.subject, null);
    const emailOnly = composeMessages('ShipmentCreated', shipment(1, 2), ORDER, { ...CONTACT, phone: null });
    assert.deepEqual(
      emailOnly.map((m) => m.channel),
      ['email'],
    );
  });

  it('names a parcel that is part of the order, with what is in it and its tracking link', () => {
    const [whole] = composeMessages('ShipmentCreated', shipment(1, 2), ORDER, CONTACT);
    assert.equal(whole?.subject, 'Your order #1042 has shipped');
    const [part] = composeMessages('ShipmentCreated', shipment(1, 1), ORDER, CONTACT);
    assert.equal(part?.subject, 'Parcel 1 of your order #1042 has shipped');
    assert.match(part?.text ?? '', /In this shipment:\n {2}1 × Blue Ceramic Mug/);
    assert.match(part?.html ?? '', /href="https:\/\/track\.example\/1Z999"/);
    const [second] = composeMessages('ShipmentCreated', shipment(2, 1), ORDER, CONTACT);
    assert.equal(second?.subject, 'Parcel 2 of your order #1042 has shipped');
  });

  it('renders a modification with an address change it can read, and ignores one it cannot', () => {
    const to = { street: '1 New Road', city: 'Springfield', state: 'IL', zip: '62704' };
    const [email] = composeMessages(
      'OrderModified',
      {
        ...ORDER_FIELDS,
        currency: 'USD',
        changes: { shippingAddress: { from: ORDER.shippingAddress, to }, total: { from: 1250, to: 2500 } },
      },
      ORDER,
      CONTACT,
    );
    assert.match(email?.text ?? '', /1 New Road/);
    const [odd] = composeMessages(
      'OrderModified',
      {
        ...ORDER_FIELDS,
        currency: 'USD',
        changes: { shippingAddress: { from: 'x', to }, total: { from: 1250, to: 2500 } },
      },
      ORDER,
      CONTACT,
    );
    assert.doesNotMatch(odd?.text ?? '', /1 New Road/);
    assert.match(odd?.text ?? '', /\$12\.50 → \$25\.00/);
  });

  it('throws for a payload without the fields its template needs', () => {
    assert.throws(() => composeMessages('RefundIssued', { orderId: ORDER.id }, ORDER, CONTACT));
  });

  it('writes a failed refund to the shop, not to the customer', () => {
    const payload = {
      refundId: 'r1',
      paymentId: 'p1',
      orderId: ORDER.id,
      amount: 1250,
      currency: 'USD',
      failure: 'unavailable',
      attempts: 10,
      reason: 'Arrived broken',
      timestamp: '2026-01-01T00:00:00.000Z',
    };
    const messages = composeMessages('RefundFailed', payload, ORDER, CONTACT, 'shop@example.com');
    assert.deepEqual(
      messages.map((m) => [m.channel, m.recipient, m.template]),
      [['email', 'shop@example.com', 'shop_refund_failed']],
    );
    assert.equal(messages[0]?.subject, 'Refund of $12.50 for order #1042 failed');
    assert.match(messages[0]?.text ?? '', /could not be reached in 10 attempts/);
    assert.match(messages[0]?.text ?? '', /Jane Doe <jane@example\.com>/);
    assert.deepEqual(
      composeMessages('RefundFailed', payload, ORDER, CONTACT, null),
      [],
      'no shop address: none',
    );
    const linked = { ...ORDER, orderUrl: 'https://shop.example/orders/1?token=guest-secret' };
    const toShop = composeMessages('RefundFailed', payload, linked, CONTACT, 'shop@example.com');
    assert.doesNotMatch(toShop[0]?.text ?? '', /guest-secret/, "the customer's order link is theirs");
  });

  it("links the customer's emails to the order page they are given", () => {
    const linked = { ...ORDER, orderUrl: 'https://shop.example/orders/1?token=guest-secret' };
    const [email] = composeMessages(
      'OrderConfirmed',
      { ...ORDER_FIELDS, total: 2500, currency: 'USD' },
      linked,
      CONTACT,
    );
    assert.match(email?.text ?? '', /https:\/\/shop\.example\/orders\/1\?token=guest-secret/);
    assert.match(email?.html ?? '', /View your order/);
  });
});
