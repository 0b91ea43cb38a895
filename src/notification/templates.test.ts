import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  EVENT_TEMPLATES,
  TemplateNotFoundError,
  assertTemplatesFor,
  describeCancellationReason,
  escapeHtml,
  getTemplate,
  renderEmail,
  renderSms,
  formatOrderNumber,
  templates,
  templatesForEvent,
} from './templates.ts';
import type { EmailTemplateName, OrderView, RenderedEmail, TemplateName } from './templates.ts';

const ORDER_ID = '3f2a9c1e-7b4d-4e8a-9c61-0d5e2f8b7a10';

function order(overrides: Partial<OrderView> = {}): OrderView {
  return {
    orderId: ORDER_ID,
    orderNumber: formatOrderNumber(1001),
    customer: { name: 'Jane Doe', email: 'jane@example.com' },
    lines: [
      { name: 'Blue Ceramic Mug', quantity: 2, unitPrice: 1250 },
      { name: 'Green Tea 100g', quantity: 3, unitPrice: 399 },
    ],
    total: 3697,
    currency: 'USD',
    shippingAddress: {
      street: '12 Elm Street',
      city: 'Springfield',
      state: 'IL',
      zip: '62704',
      country: 'US',
    },
    ...overrides,
  };
}

/** Every email template, rendered for the same order, with the event fields each needs. */
function renderAll(view: OrderView, extra: { text?: string } = {}): Record<EmailTemplateName, RenderedEmail> {
  const free = extra.text ?? 'Wrong size ordered';
  return {
    order_confirmed: renderEmail('order_confirmed', { order: view }),
    order_modified: renderEmail('order_modified', {
      order: view,
      changes: {
        items: [{ name: view.lines[0]?.name ?? free, from: 1, to: 2 }],
        shippingAddress: { from: { ...view.shippingAddress, street: free }, to: view.shippingAddress },
        total: { from: 2447, to: view.total },
      },
    }),
    order_shipped: renderEmail('order_shipped', {
      order: view,
      carrier: extra.text ?? 'UPS',
      trackingNumber: extra.text ?? '1Z999AA10123456784',
    }),
    order_delivered: renderEmail('order_delivered', { order: view }),
    order_cancelled: renderEmail('order_cancelled', {
      order: view,
      reason: free,
      actor: 'admin',
      wasConfirmed: true,
    }),
    order_refunded: renderEmail('order_refunded', { order: view, amount: 1250 }),
    shop_refund_failed: renderEmail('shop_refund_failed', {
      order: view,
      amount: 1250,
      currency: view.currency,
      failure: 'unavailable',
      attempts: 10,
      reason: free,
    }),
    ...returnEmails(view, free),
  };
}

function returnEmails(view: OrderView, free: string) {
  const r = { number: 2, items: [{ name: view.lines[0]?.name ?? free, quantity: 1 }], replacements: [] };
  const exchange = { ...r, replacements: [{ name: `${view.lines[0]?.name ?? free} (L)`, quantity: 1 }] };
  return {
    return_requested: renderEmail('return_requested', { order: view, return: r }),
    return_approved: renderEmail('return_approved', { order: view, return: r }),
    return_rejected: renderEmail('return_rejected', { order: view, return: r, reason: free }),
    return_received: renderEmail('return_received', { order: view, return: r }),
    return_closed: renderEmail('return_closed', { order: view, return: r }),
    return_cancelled: renderEmail('return_cancelled', {
      order: view,
      return: r,
      cancelledBy: 'admin',
      reason: free,
      refunded: 0,
    }),
    exchange_shipped: renderEmail('exchange_shipped', {
      order: view,
      return: exchange,
      carrier: free,
      trackingNumber: free,
      trackingUrl: 'https://track.example/1Z999',
    }),
  };
}

/** Intl puts a no-break space between some amounts and symbols; tests compare plain spaces. */
function plain(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and attributes', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('leaves ordinary text alone', () => {
    assert.equal(escapeHtml('Café 12 Elm St. #4'), 'Café 12 Elm St. #4');
  });
});

describe('formatOrderNumber', () => {
  it('is the sequential number as people quote it', () => {
    assert.equal(formatOrderNumber(1001), '#1001');
  });
});

describe('order_confirmed (story 004)', () => {
  const view = order({ orderUrl: 'https://shop.example/orders/3f2a9c1e' });
  const email = renderEmail('order_confirmed', { order: view });

  it('names the order number in the subject', () => {
    assert.equal(email.subject, 'Order #1001 confirmed');
  });

  for (const part of ['html', 'text'] as const) {
    it(`lists every line with quantity, unit price and line total, the total and the address (${part})`, () => {
      const body = email[part];
      assert.match(body, /#1001/);
      assert.match(body, /Blue Ceramic Mug/);
      assert.match(body, /Green Tea 100g/);
      assert.match(body, /\$12\.50/); // unit price, mug
      assert.match(body, /\$25\.00/); // 2 × 12.50
      assert.match(body, /\$3\.99/); // unit price, tea
      assert.match(body, /\$11\.97/); // 3 × 3.99
      assert.match(body, /\$36\.97/); // order total
      assert.match(body, /12 Elm Street/);
      assert.match(body, /Springfield, IL 62704/);
      assert.match(body, /Jane Doe/);
      assert.match(body, /https:\/\/shop\.example\/orders\/3f2a9c1e/);
    });
  }

  it('shows the quantities in the html table and the text lines', () => {
    assert.match(email.html, />2<\/td>/);
    assert.match(email.html, />3<\/td>/);
    assert.match(email.text, /2 × Blue Ceramic Mug @ \$12\.50 = \$25\.00/);
    assert.match(email.text, /3 × Green Tea 100g @ \$3\.99 = \$11\.97/);
  });

  it('renders JPY without decimals', () => {
    const yen = renderEmail('order_confirmed', {
      order: order({
        currency: 'JPY',
        lines: [{ name: 'Matcha', quantity: 2, unitPrice: 1500 }],
        total: 3000,
      }),
    });
    assert.match(yen.text, /2 × Matcha @ ¥1,500 = ¥3,000/);
    assert.match(yen.html, /¥3,000/);
    assert.doesNotMatch(yen.html, /¥3,000\.00|¥30\.00/);
  });

  it('renders EUR in the customer locale', () => {
    const euro = renderEmail('order_confirmed', {
      order: order({
        currency: 'EUR',
        locale: 'de-DE',
        lines: [{ name: 'Tasse', quantity: 1, unitPrice: 1999 }],
        total: 1999,
      }),
    });
    assert.match(plain(euro.text), /1 × Tasse @ 19,99 € = 19,99 €/);
  });
});

describe('order_modified', () => {
  const email = renderEmail('order_modified', {
    order: order(),
    changes: {
      items: [
        { name: 'Blue Ceramic Mug', from: 1, to: 2 },
        { name: 'Green Tea 100g', from: 0, to: 3 },
        { name: 'Teapot', from: 1, to: 0 },
      ],
      shippingAddress: {
        from: { street: '1 Old Road', city: 'Shelbyville', state: 'IL', zip: '62565' },
        to: { street: '12 Elm Street', city: 'Springfield', state: 'IL', zip: '62704', country: 'US' },
      },
      total: { from: 4450, to: 3697 },
    },
  });

  for (const part of ['html', 'text'] as const) {
    it(`says what changed: lines from → to, address, new total (${part})`, () => {
      const body = email[part];
      assert.match(body, /Blue Ceramic Mug: quantity 1 → 2/);
      assert.match(body, /Added: Green Tea 100g × 3/);
      assert.match(body, /Removed: Teapot \(was × 1\)/);
      assert.match(body, /1 Old Road/);
      assert.match(body, /12 Elm Street/);
      assert.match(body, /\$44\.50 → \$36\.97/);
    });
  }

  it('omits sections that did not change', () => {
    const onlyTotal = renderEmail('order_modified', {
      order: order(),
      changes: { total: { from: 100, to: 3697 } },
    });
    assert.doesNotMatch(onlyTotal.text, /Items changed|Shipping address changed/);
    assert.match(onlyTotal.text, /New total: \$1\.00 → \$36\.97/);
  });
});

describe('order_shipped', () => {
  const email = renderEmail('order_shipped', {
    order: order(),
    carrier: 'UPS',
    trackingNumber: '1Z999AA10123456784',
    trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
  });

  it('gives carrier and tracking number in both parts', () => {
    assert.match(email.subject, /#1001 has shipped/);
    for (const body of [email.html, email.text]) {
      assert.match(body, /UPS/);
      assert.match(body, /1Z999AA10123456784/);
    }
    assert.match(email.html, /href="https:\/\/www\.ups\.com\/track\?tracknum=1Z999AA10123456784"/);
  });

  it('never turns a javascript: tracking link into an href', () => {
    const hostile = renderEmail('order_shipped', {
      order: order(),
      carrier: 'UPS',
      trackingNumber: '1Z',
      trackingUrl: 'javascript:alert(1)',
    });
    assert.doesNotMatch(hostile.html, /javascript:/);
    assert.doesNotMatch(hostile.text, /javascript:/);
  });
});

describe('order_delivered', () => {
  it('names the order and where it was delivered', () => {
    const email = renderEmail('order_delivered', { order: order() });
    assert.equal(email.subject, 'Your order #1001 was delivered');
    for (const body of [email.html, email.text]) {
      assert.match(body, /#1001/);
      assert.match(body, /12 Elm Street/);
      assert.match(body, /Blue Ceramic Mug/);
    }
  });
});

describe('order_cancelled', () => {
  const cases: [reason: string, actor: 'customer' | 'admin' | 'system', expected: RegExp][] = [
    ['payment_declined', 'system', /Your payment was declined/],
    ['payment_not_completed', 'system', /The payment was not completed in time/],
    ['payment_unavailable', 'system', /We could not reach our payment provider/],
    ['Changed my mind, sorry', 'customer', /You cancelled it with this note: “Changed my mind, sorry”/],
    [
      'Address is outside our delivery area',
      'admin',
      /Our team cancelled it with this note: “Address is outside our delivery area”/,
    ],
    ['gateway_timeout_3', 'system', /We were unable to complete this order\./],
    ['internal failure in worker 7', 'system', /We were unable to complete this order\./],
  ];
  for (const [reason, actor, expected] of cases) {
    it(`explains "${reason}" (${actor}) in words a shopper understands`, () => {
      assert.match(describeCancellationReason(reason, actor), expected);
      const email = renderEmail('order_cancelled', { order: order(), reason, actor, wasConfirmed: true });
      assert.match(email.html, expected);
      assert.match(email.text, expected);
      assert.doesNotMatch(email.text, /gateway_timeout_3|worker 7/);
    });
  }

  it('tells an unpaid order it was not charged, a confirmed one that a refund follows', () => {
    const unpaid = renderEmail('order_cancelled', {
      order: order(),
      reason: 'payment_declined',
      actor: 'system',
      wasConfirmed: false,
    });
    assert.match(unpaid.text, /You have not been charged/);
    const paid = renderEmail('order_cancelled', {
      order: order(),
      reason: 'Changed my mind',
      actor: 'customer',
      wasConfirmed: true,
    });
    assert.match(paid.text, /refunded in full/);
    assert.match(paid.subject, /#1001 was cancelled/);
  });

  it('does not treat Object.prototype keys as known reasons', () => {
    assert.match(describeCancellationReason('constructor', 'admin'), /note: “constructor”/);
  });
});

describe('order_refunded', () => {
  it('states the refunded amount', () => {
    const email = renderEmail('order_refunded', { order: order(), amount: 1250 });
    assert.equal(email.subject, 'Refund of $12.50 for order #1001');
    for (const body of [email.html, email.text]) {
      assert.match(body, /\$12\.50/);
      assert.match(body, /\$36\.97/);
    }
  });

  it('uses the refund currency, JPY without decimals', () => {
    const email = renderEmail('order_refunded', {
      order: order({ currency: 'JPY', total: 5000 }),
      amount: 5000,
      currency: 'JPY',
    });
    assert.match(email.text, /¥5,000/);
  });
});

describe('SMS', () => {
  it('shipped: short plain text with carrier and tracking number', () => {
    const { body } = renderSms('sms_order_shipped', {
      order: order(),
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
    });
    assert.equal(body, 'Orderly: order #1001 has shipped with UPS. Tracking: 1Z999AA10123456784');
    assert.ok(body.length <= 160);
  });

  it('delivered: short plain text', () => {
    const { body } = renderSms('sms_order_delivered', { order: order() });
    assert.equal(body, 'Orderly: order #1001 has been delivered. Enjoy!');
  });

  it('keeps to one line when a value holds line breaks', () => {
    const { body } = renderSms('sms_order_shipped', {
      order: order(),
      carrier: 'UPS\r\nSTOP',
      trackingNumber: '1Z\n2',
    });
    assert.doesNotMatch(body, /[\r\n]/);
  });
});

describe('escaping every order value', () => {
  const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
  const HOSTILE_ADDRESS = '12 Elm "><script>alert(1)</script>';
  const hostile = order({
    orderNumber: '<b>X</b>',
    customer: { name: '<script>alert("name")</script>', email: 'jane@example.com' },
    lines: [{ name: HOSTILE_NAME, quantity: 1, unitPrice: 100 }],
    shippingAddress: {
      street: HOSTILE_ADDRESS,
      city: '<img src=x onerror=alert(2)>',
      state: '"><script>',
      zip: `'><img src=x>`,
      country: '<script>',
    },
    orderUrl: 'https://shop.example/orders/1?q="><script>alert(1)</script>',
  });
  const emails = renderAll(hostile, { text: '<script>alert("free text")</script>' });

  for (const [name, email] of Object.entries(emails)) {
    it(`${name}: no raw <img or <script from the order reaches the html`, () => {
      assert.doesNotMatch(email.html, /<img/i);
      assert.doesNotMatch(email.html, /<script/i);
      assert.doesNotMatch(email.html, /<b>X<\/b>/);
      assert.match(email.html, /&lt;b&gt;X&lt;\/b&gt;/);
    });
  }

  it('shows the escaped product name and address instead', () => {
    const { html } = emails.order_confirmed;
    assert.ok(html.includes(escapeHtml(HOSTILE_NAME)), 'escaped product name');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes('12 Elm &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'), 'escaped address');
    assert.ok(html.includes('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;'), 'escaped customer name');
  });

  it('escapes free-text cancellation reasons', () => {
    const { html } = emails.order_cancelled;
    assert.ok(html.includes('&lt;script&gt;alert(&quot;free text&quot;)&lt;/script&gt;'));
  });

  it('keeps the text part readable: the text is not HTML and is not escaped', () => {
    assert.ok(emails.order_confirmed.text.includes(HOSTILE_NAME));
  });

  it('keeps subjects on one line', () => {
    const email = renderEmail('order_confirmed', {
      order: order({ orderNumber: 'AB\r\nBcc: x@evil.example' }),
    });
    assert.doesNotMatch(email.subject, /[\r\n]/);
  });
});

describe('branded layout', () => {
  const emails = renderAll(order());
  for (const [name, email] of Object.entries(emails)) {
    it(`${name}: Orderly header and footer, inline CSS only, a text part`, () => {
      assert.match(email.html, /^<!DOCTYPE html>/);
      assert.match(email.html, /<td style="[^"]*background-color:#1e3a8a[^"]*">Orderly<\/td>/);
      assert.match(
        email.html,
        name === 'shop_refund_failed'
          ? /You are receiving this email because this address is the shop’s contact in Orderly/
          : /You are receiving this email because you placed an order with Orderly/,
      );
      assert.doesNotMatch(email.html, /<style|<link|<script/i);
      assert.ok(email.subject.length > 0);
      assert.ok(email.text.length > 0);
      assert.match(email.text, /^Orderly\n/);
      assert.doesNotMatch(email.text, /<td|<p |<table/);
    });
  }
});

describe('registry', () => {
  it('holds a template for every name, on the channel its name says', () => {
    for (const [name, template] of Object.entries(templates)) {
      assert.equal(template.name, name);
      assert.equal(template.channel, name.startsWith('sms_') ? 'sms' : 'email');
    }
  });

  it('throws TemplateNotFoundError for an unknown name', () => {
    assert.throws(
      () => getTemplate('order_teleported'),
      (error: unknown) =>
        error instanceof TemplateNotFoundError &&
        error.templateName === 'order_teleported' &&
        /order_teleported/.test(error.message),
    );
  });

  it('does not mistake Object.prototype keys for templates', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.throws(() => getTemplate(name), TemplateNotFoundError);
    }
  });

  it('refuses to render a template on the wrong channel', () => {
    assert.throws(
      () => renderEmail('sms_order_shipped' as EmailTemplateName, { order: order() } as never),
      TemplateNotFoundError,
    );
  });

  it('maps every subscribed event type to existing templates', () => {
    assert.doesNotThrow(() => assertTemplatesFor(Object.keys(EVENT_TEMPLATES)));
    assert.deepEqual(templatesForEvent('ShipmentCreated'), ['order_shipped', 'sms_order_shipped']);
    const mapped = new Set<TemplateName>(Object.values(EVENT_TEMPLATES).flat());
    assert.deepEqual(
      [...mapped].sort(),
      Object.keys(templates).sort(),
      'every template is used by some event',
    );
  });

  it('assertTemplatesFor names every event type without a template', () => {
    assert.throws(
      () => assertTemplatesFor(['OrderConfirmed', 'OrderPlaced', 'StockReserved']),
      (error: unknown) =>
        error instanceof TemplateNotFoundError &&
        /"OrderPlaced", "StockReserved"/.test(error.message) &&
        !/OrderConfirmed/.test(error.message),
    );
  });
});

describe('return emails', () => {
  const view = order({ orderUrl: 'https://shop.example/orders/3f2a9c1e' });
  const emails = returnEmails(view, 'Scratched <b>lid</b>');

  it('name the return and its order in the subject and list the returned items', () => {
    assert.equal(emails.return_approved.subject, 'Your return is approved (order #1001)');
    for (const email of Object.values(emails)) {
      assert.match(email.text, /return 2 of order #1001/);
      assert.match(email.text, /1 × Blue Ceramic Mug/);
      assert.match(email.html, /href="https:\/\/shop\.example\/orders\/3f2a9c1e"/);
    }
  });

  it("quote the team's reason for a rejection, escaped", () => {
    assert.match(emails.return_rejected.text, /“Scratched <b>lid<\/b>”/);
    assert.match(emails.return_rejected.html, /Scratched &lt;b&gt;lid&lt;\/b&gt;/);
  });

  it("tell a cancellation by the shop with the team's reason, and a shopper's withdrawal as theirs", () => {
    assert.equal(emails.return_cancelled.subject, 'Your return is cancelled (order #1001)');
    assert.match(emails.return_cancelled.text, /we cancelled return 2 of order #1001/);
    assert.match(emails.return_cancelled.html, /Scratched &lt;b&gt;lid&lt;\/b&gt;/);
    const r = {
      number: 3,
      items: [{ name: 'Shirt (M)', quantity: 1 }],
      replacements: [{ name: 'Shirt (XL)', quantity: 1 }],
    };
    const withdrawn = renderEmail('return_cancelled', {
      order: view,
      return: r,
      cancelledBy: 'customer',
      reason: null,
      refunded: 500,
    });
    assert.equal(withdrawn.subject, 'Your exchange is withdrawn (order #1001)');
    assert.match(withdrawn.text, /as you asked, exchange 3 of order #1001 is withdrawn/);
    assert.match(withdrawn.text, /The \$5\.00 you paid for the exchange goes back to your payment method/);
    assert.doesNotMatch(withdrawn.text, /Our team’s note/);
  });
});
