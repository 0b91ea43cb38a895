import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  DEFAULT_RETRY_SCHEDULE,
  afterFailedAttempt,
  generateSecret,
  isForbiddenAddress,
  retryDelayMs,
  signatureHeader,
  truncateResponseBody,
  urlRefusal,
} from './model.ts';

describe('webhook signatures', () => {
  it("is Stripe's scheme: t=<unix>,v1=<hex HMAC-SHA256 of '<t>.<body>'>", () => {
    const header = signatureHeader('whsec_test', '{"a":1}', 1_700_000_000);
    const expected = createHmac('sha256', 'whsec_test').update('1700000000.{"a":1}').digest('hex');
    assert.equal(header, `t=1700000000,v1=${expected}`);
  });

  it('signs every body and time differently, and only its own secret reproduces the signature', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 2 ** 31 }), (body, t) => {
        const secret = generateSecret();
        const header = signatureHeader(secret, body, t);
        const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
        assert.equal(header, `t=${t},v1=${v1}`);
        assert.notEqual(signatureHeader(generateSecret(), body, t), header);
        assert.notEqual(signatureHeader(secret, `${body} `, t), header);
        assert.notEqual(signatureHeader(secret, body, t + 1), header);
      }),
      { numRuns: 50 },
    );
  });

  it('makes secrets that start with whsec_ and are never the same', () => {
    const a = generateSecret();
    assert.match(a, /^whsec_[A-Za-z0-9_-]{32}$/);
    assert.notEqual(a, generateSecret());
  });
});

describe('webhook retry schedule', () => {
  const schedule = { baseDelayMs: 1000, maxDelayMs: 8000, horizonMs: 60_000 };

  it('doubles from the base delay to the cap, the jitter taking up to half of it away', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 30].map((n) => retryDelayMs(n, schedule, 1)),
      [1000, 2000, 4000, 8000, 8000, 8000],
    );
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => retryDelayMs(n, schedule, 0)),
      [500, 1000, 2000, 4000],
    );
  });

  it('always waits between half the exponential delay and all of it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
        const full = Math.min(1000 * 2 ** (n - 1), 8000);
        const delay = retryDelayMs(n, schedule, r);
        assert.ok(delay >= full / 2 && delay <= full, `${delay} for attempt ${n}`);
      }),
    );
  });

  it('gives up once the next attempt would fall beyond the horizon, and never schedules one past it', () => {
    assert.deepEqual(afterFailedAttempt(1, 0, 0, schedule, 1), { status: 'pending', nextAttemptAt: 1000 });
    assert.deepEqual(afterFailedAttempt(3, 0, 59_000, schedule, 1), { status: 'failed' });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, now, r) => {
          const outcome = afterFailedAttempt(n, 0, now, schedule, r);
          if (outcome.status === 'pending') assert.ok(outcome.nextAttemptAt <= schedule.horizonMs);
          if (now > schedule.horizonMs) assert.equal(outcome.status, 'failed');
        },
      ),
    );
  });

  it('by default spreads about thirty attempts over a day', () => {
    let now = 0;
    let attempts = 0;
    for (;;) {
      attempts++;
      const outcome = afterFailedAttempt(attempts, 0, now, DEFAULT_RETRY_SCHEDULE, 1);
      if (outcome.status === 'failed') break;
      now = outcome.nextAttemptAt;
    }
    assert.ok(attempts >= 25 && attempts <= 35, `${attempts} attempts`);
  });
});

describe('isForbiddenAddress', () => {
  const table: Array<[string, boolean]> = [
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['1.1.1.1', false],
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['0.0.0.0', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['100.128.0.1', false],
    ['192.0.2.10', true],
    ['198.18.0.1', true],
    ['224.0.0.1', true],
    ['239.255.255.250', true],
    ['255.255.255.255', true],
    ['240.0.0.1', true],
    ['::', true],
    ['::1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['::127.0.0.1', true],
    ['64:ff9b::a9fe:a9fe', true],
    ['64:ff9b::808:808', false],
    ['2002:7f00:1::', true],
    ['2002:808:808::', false],
    ['fc00::1', true],
    ['fd12:3456:789a::1', true],
    ['fe80::1', true],
    ['fe80::1%eth0', true],
    ['febf::1', true],
    ['fec0::1', true],
    ['ff02::1', true],
    ['2001:db8::1', true],
    ['2606:4700:4700::1111', false],
    ['2001:4860:4860::8888', false],
    ['localhost', true],
    ['example.com', true],
    ['', true],
  ];
  for (const [address, forbidden] of table) {
    it(`${address || '(empty)'} is ${forbidden ? 'forbidden' : 'allowed'}`, () => {
      assert.equal(isForbiddenAddress(address), forbidden);
    });
  }

  it('judges an IPv4 address and its IPv4-mapped IPv6 form alike', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        assert.equal(isForbiddenAddress(`::ffff:${ip}`), isForbiddenAddress(ip));
      }),
    );
  });
});

describe('urlRefusal', () => {
  const production = { allowHttp: false, allowPrivateAddresses: false };
  const development = { allowHttp: true, allowPrivateAddresses: true };
  const table: Array<[string, typeof production, string | null]> = [
    ['https://hooks.example.com/orderly', production, null],
    ['http://hooks.example.com/orderly', production, 'webhook_url_forbidden'],
    ['http://hooks.example.com/orderly', development, null],
    ['http://127.0.0.1:8080/hook', development, null],
    ['ftp://hooks.example.com/', development, 'webhook_url_invalid'],
    ['file:///etc/passwd', development, 'webhook_url_invalid'],
    ['not a url', development, 'webhook_url_invalid'],
    ['https://user:pass@hooks.example.com/', development, 'webhook_url_invalid'],
    ['https://127.0.0.1/hook', production, 'webhook_url_forbidden'],
    ['https://[::1]/hook', production, 'webhook_url_forbidden'],
    ['https://[::ffff:169.254.169.254]/', production, 'webhook_url_forbidden'],
    ['https://localhost/hook', production, 'webhook_url_forbidden'],
    ['https://api.localhost/hook', production, 'webhook_url_forbidden'],
    ['https://8.8.8.8/hook', production, null],
    [`https://hooks.example.com/${'a'.repeat(2100)}`, development, 'webhook_url_invalid'],
  ];
  for (const [url, policy, code] of table) {
    it(`${url.slice(0, 60)} ${policy === production ? 'in production' : 'in development'}: ${code ?? 'accepted'}`, () => {
      assert.equal(urlRefusal(url, policy)?.code ?? null, code);
    });
  }
});

describe('truncateResponseBody', () => {
  it('keeps short bodies whole and the first 1024 characters of long ones', () => {
    assert.equal(truncateResponseBody('ok'), 'ok');
    assert.equal(truncateResponseBody('x'.repeat(5000)), `${'x'.repeat(1024)}…`);
  });
});
