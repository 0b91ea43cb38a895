/**
 * A shipping address a label can be written from (issue 13): the recipient's name and phone,
 * the country with its own rules for states and postal codes, and for the admin the customer's
 * name and email beside it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADDRESS, createTestApp, type TestApp } from '../helpers.ts';
import { getOrder, place, placeRequest, type ErrorJson, type Product } from './http.ts';

describe('shipping address', () => {
  let t: TestApp;
  let product: Product;
  before(async () => {
    t = await createTestApp();
    product = await t.product({ price: 8, stock: 100 });
  });
  after(() => t.close());

  test('carries the recipient and a phone; the admin also sees who placed the order', async () => {
    const customer = await t.customer('Carla Customer');
    const address = {
      name: 'Robin Recipient',
      phone: '+1 613 555 0100',
      street: '24 Sussex Dr',
      city: 'Ottawa',
      state: 'ON',
      zip: 'K1M 1M4',
      country: 'CA',
    };
    const order = await place(t, customer, [[product, 1]], { shippingAddress: address });
    assert.deepEqual(order.shippingAddress, address);
    const mine = await getOrder(t, order.id, customer.token);
    assert.deepEqual(mine.shippingAddress, address);
    assert.equal(mine.customer, undefined, 'a shopper is not shown their own account back');

    const seen = await getOrder(t, order.id, await t.adminToken());
    assert.deepEqual(seen.shippingAddress, address);
    assert.deepEqual(seen.customer, { name: 'Carla Customer', email: customer.email });
  });

  test("an address without a name is shipped to the customer's name, in the US", async () => {
    const customer = await t.customer('Sam Shopper');
    const order = await place(t, customer, [[product, 1]], { shippingAddress: ADDRESS });
    assert.deepEqual(order.shippingAddress, {
      ...ADDRESS,
      name: 'Sam Shopper',
      phone: null,
      country: 'US',
    });
  });

  test('the confirmation email is addressed to the recipient', async () => {
    const customer = await t.customer('Gina Giver');
    const order = await place(t, customer, [[product, 1]], {
      shippingAddress: { ...ADDRESS, name: 'Fred Friend' },
    });
    await t.app.outbox.drain();
    const row = await t.app.database.db
      .selectFrom('notification')
      .select(['body_text'])
      .where('order_id', '=', order.id)
      .where('template', '=', 'order_confirmed')
      .executeTakeFirstOrThrow();
    assert.match(row.body_text, /Shipping to:\n {2}Fred Friend\n {2}123 Main St/);
  });

  test('a state only where the country uses one; postal codes by the country’s rule', async () => {
    const customer = await t.customer();
    const refused: Array<[Record<string, unknown>, string]> = [
      [{ street: '1 Main St', city: 'Austin', zip: '73301' }, 'shippingAddress.state'],
      [{ ...ADDRESS, zip: 'ABC12' }, 'shippingAddress.zip'],
      [{ ...ADDRESS, country: 'CA', state: 'ON', zip: '12345' }, 'shippingAddress.zip'],
      [{ street: '1 George St', city: 'Sydney', zip: '2000', country: 'AU' }, 'shippingAddress.state'],
      [{ ...ADDRESS, phone: 'call me' }, 'shippingAddress.phone'],
    ];
    for (const [address, path] of refused) {
      const res = await placeRequest(t, customer, [[product, 1]], { shippingAddress: address });
      assert.equal(res.status, 400, JSON.stringify(address));
      const issues = (res.body as ErrorJson).details['issues'] as Array<{ path: string }>;
      assert.ok(
        issues.some((i) => i.path.endsWith(path.split('.')[1] as string)),
        `${path} named in ${JSON.stringify(issues)}`,
      );
    }
    const berlin = { street: 'Unter den Linden 1', city: 'Berlin', zip: '10117', country: 'DE' };
    const order = await place(t, customer, [[product, 1]], { shippingAddress: berlin });
    assert.equal(order.shippingAddress['state'], '', 'no state in Germany');
    assert.equal(order.shippingAddress['country'], 'DE');
    const london = {
      street: '10 Downing St',
      city: 'London',
      state: 'Greater London',
      zip: 'SW1A 2AA',
      country: 'GB',
    };
    const kept = await place(t, customer, [[product, 1]], { shippingAddress: london });
    assert.equal(
      kept.shippingAddress['state'],
      'Greater London',
      'a region given where none is needed is kept',
    );
  });
});
