/**
 * What every browser test file needs: a real Orderly process on a fresh data folder, Debian's
 * Chromium driven by playwright-core, screenshots, axe-core, and a watch on the browser console.
 * Pages are driven the way people use them (labels, roles, the `data-testid`s web/README.md lists).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '../net.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
const WEB_DIST = join(ROOT, 'web', 'dist');
const require = createRequire(join(ROOT, 'package.json'));
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const ADMIN = { email: 'admin@orderly.test', password: 'admin-password-e2e-1' };
export const PASSWORD = 'correct-horse-battery-1';
export const DESKTOP = { viewport: { width: 1280, height: 900 } };
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

// ---------------------------------------------------------------------------------------------
// The web app and the server

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds web/dist when it is missing or older than the web app's sources. */
export function ensureWebBuilt(): void {
  const index = join(WEB_DIST, 'index.html');
  let built: number;
  try {
    built = statSync(index).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(
    newestMtime(join(ROOT, 'web', 'src')),
    newestMtime(join(ROOT, 'web', 'index.html')),
    newestMtime(join(ROOT, 'web', 'vite.config.ts')),
  );
  if (built >= sources) return;
  console.warn(built === 0 ? 'web/dist is missing: building it' : 'web/dist is stale: rebuilding it');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build:web failed');
}

export interface Orderly {
  url: string;
  dataDir: string;
  /** calls the API as a script would (setup and checks the browser does not need to do) */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T }>;
  adminToken(): Promise<string>;
  /** a new customer account through the API: its email and token */
  customer(name?: string): Promise<{ email: string; token: string; name: string }>;
  /** the demo product called `name` */
  product(name: string): Promise<{ id: string; name: string; price: number; available: number }>;
  /** fills the customer's cart and checks out through the API; returns the answer */
  placeOrder(
    token: string,
    lines: Array<{ productId: string; quantity: number }>,
    card?: string,
  ): Promise<{ status: number; body: { id: string; status: string; total: number } }>;
  /** ships the whole order with UPS through the admin API; fails unless it shipped */
  ship(orderId: string, trackingNumber?: string): Promise<void>;
  /** ships the whole order, then marks it delivered, through the admin API */
  shipAndDeliver(orderId: string, trackingNumber?: string): Promise<void>;
  /** the customer's order of `lines`, placed, shipped and delivered through the API */
  deliveredOrder(
    token: string,
    lines: Array<{ productId: string; quantity: number }>,
  ): Promise<{ id: string; number: number }>;
  /** the active stock locations, the highest priority (where stock leaves from by default) first */
  activeLocations(): Promise<StockLocation[]>;
  /** a variant's stock at one location (the admin's inventory), or undefined when it has none there */
  stockAt(locationId: string, variantId: string): Promise<{ onHand: number; reserved: number } | undefined>;
  /** error and fatal lines the server logged so far */
  errorLogs(): string[];
  /** stops the server (SIGTERM) and removes its data; fails when the server logged errors */
  stop(): Promise<void>;
}

export interface StockLocation {
  id: string;
  code: string;
  name: string;
  active: boolean;
  priority: number;
}

/** Settings that change nothing the demo data writes: a server with only these may start seeded. */
const SEED_NEUTRAL = /^(RATE_LIMIT_|WEBHOOKS_|UPLOAD_DIR$)/;

/** A shop whose prices are in euros and include tax, as most European shops show them. */
export const EURO_SHOP: Readonly<Record<string, string>> = { CURRENCY: 'EUR', PRICES_INCLUDE_TAX: 'true' };

/**
 * The shops `npm run test:e2e` seeds side by side before the files run: the default one, and each
 * shop a file asks for whose settings change what seeding writes. A server whose settings are none
 * of these seeds its own folder from empty, in its file's time (initdb and the migrations are most
 * of those eight seconds of CPU, the demo data little).
 */
export const SEEDED_SHOPS: ReadonlyArray<Readonly<Record<string, string>>> = [{}, EURO_SHOP];

/** Which seeded folder a server with `env` may start from: its settings that change what seeding writes. */
export function seedKey(env: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(env)
      .filter(([key]) => !SEED_NEUTRAL.test(key))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * Starts `node src/main.ts start` on a free port and a fresh data folder; waits for /readyz.
 * Under `npm run test:e2e` the folder is a copy of one that a first server seeded with the demo
 * data for the same shop (`seedDemoData`, `SEEDED_SHOPS`, `ORDERLY_E2E_SEEDED_DATA`: the folders
 * by `seedKey`), unless `env` changes what seeding writes in a way no seeded shop does.
 */
export async function startOrderly(
  env: Readonly<Record<string, string>> = {},
  options: { keepData?: boolean } = {},
): Promise<Orderly> {
  ensureWebBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'orderly-e2e-'));
  const folders: Record<string, string> = JSON.parse(process.env['ORDERLY_E2E_SEEDED_DATA'] ?? '{}');
  const seeded = folders[seedKey(env)];
  if (seeded) cpSync(seeded, dataDir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['src/main.ts', 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      SEED_DEMO_DATA: 'true',
      LOG_LEVEL: 'warn',
      PAYMENT_PROVIDER: 'sandbox',
      EMAIL_PROVIDER: 'log',
      NATS_URL: '',
      // several accounts sign in from 127.0.0.1 within a minute
      RATE_LIMIT_AUTH_PER_IP: '200',
      // the least scrypt cost: sign-ups and sign-ins are not what these tests measure
      PASSWORD_HASH_COST: '10',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const errorLogs = () =>
    output.filter((line) => {
      try {
        return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
      } catch {
        return /error/i.test(line);
      }
    });
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) output.push(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`Orderly exited with ${exited} while starting:\n${output.join('\n')}`);
    }
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Orderly did not become ready in 60 s:\n${output.join('\n')}`);
    }
    await sleep(150);
  }

  const api: Orderly['api'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  let adminToken: string | undefined;
  const getAdminToken = async () => {
    if (adminToken) return adminToken;
    const r = await api<{ token: string }>('POST', '/auth/login', { body: ADMIN });
    if (r.status !== 200) throw new Error(`admin login answered ${r.status}`);
    adminToken = r.body.token;
    return adminToken;
  };
  const placeOrder: Orderly['placeOrder'] = async (token, lines, card = 'tok_visa') => {
    for (const line of lines) {
      const r = await api('POST', '/cart/items', { token, body: line });
      if (r.status !== 200 && r.status !== 201) throw new Error(`add to cart answered ${r.status}`);
    }
    const shippingAddress = {
      street: '1 Market Street',
      city: 'San Francisco',
      state: 'CA',
      zip: '94105',
      country: 'US',
    };
    // as the checkout page does: the order is placed at the total the quote named
    const quote = await api<{ total: number }>('POST', '/checkout/quote', {
      token,
      body: { shippingAddress },
    });
    if (quote.status !== 200)
      throw new Error(`the quote answered ${quote.status}: ${JSON.stringify(quote.body)}`);
    return api('POST', '/cart/checkout', {
      token,
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: {
        shippingAddress,
        paymentMethod: { type: 'card', token: card },
        expectedTotal: quote.body.total,
      },
    });
  };
  const ship = async (orderId: string, trackingNumber = '1Z999AA10123456784') => {
    const r = await api('POST', `/admin/orders/${orderId}/ship`, {
      token: await getAdminToken(),
      body: { carrier: 'UPS', trackingNumber },
    });
    assert.equal(r.status, 200, `ship answered ${r.status}: ${JSON.stringify(r.body)}`);
  };
  const shipAndDeliver = async (orderId: string, trackingNumber?: string) => {
    await ship(orderId, trackingNumber);
    const r = await api('POST', `/admin/orders/${orderId}/deliver`, { token: await getAdminToken() });
    assert.equal(r.status, 200, `deliver answered ${r.status}: ${JSON.stringify(r.body)}`);
  };

  return {
    url,
    dataDir,
    api,
    adminToken: getAdminToken,
    ship,
    shipAndDeliver,
    async deliveredOrder(token, lines) {
      const placed = await placeOrder(token, lines);
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const id = String(placed.body.id);
      await shipAndDeliver(id);
      const order = await api<{ orderNumber: number }>('GET', `/orders/${id}`, { token });
      return { id, number: order.body.orderNumber };
    },
    async activeLocations() {
      const r = await api<{ items: StockLocation[] }>('GET', '/admin/stock-locations', {
        token: await getAdminToken(),
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.items.filter((l) => l.active).sort((a, b) => a.priority - b.priority);
    },
    async stockAt(locationId, variantId) {
      const r = await api<{ items: Array<{ variantId: string; onHand: number; reserved: number }> }>(
        'GET',
        `/admin/inventory?locationId=${locationId}&limit=500`,
        { token: await getAdminToken() },
      );
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const row = r.body.items.find((item) => item.variantId === variantId);
      return row && { onHand: row.onHand, reserved: row.reserved };
    },
    async customer(name = 'Casey Customer') {
      const email = uniqueEmail(name);
      const registered = await api('POST', '/auth/register', { body: { email, password: PASSWORD, name } });
      if (registered.status !== 202) {
        throw new Error(`register answered ${registered.status}: ${JSON.stringify(registered.body)}`);
      }
      const r = await api<{ token: string }>('POST', '/auth/login', { body: { email, password: PASSWORD } });
      if (r.status !== 200) throw new Error(`login answered ${r.status}: ${JSON.stringify(r.body)}`);
      return { email, token: r.body.token, name };
    },
    async product(name) {
      const r = await api<{ items: Array<{ id: string; name: string; price: number; available: number }> }>(
        'GET',
        `/products?limit=100&search=${encodeURIComponent(name)}`,
      );
      const found = r.body.items.find((p) => p.name === name);
      if (!found) throw new Error(`no product called ${name}`);
      return found;
    },
    placeOrder,
    errorLogs,
    async stop() {
      // what the server warned about during the run, for whoever reads the CI log
      for (const line of output) process.stderr.write(`[orderly] ${line}\n`);
      if (exited === null) {
        const gone = new Promise<void>((done) => child.once('exit', () => done()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await gone;
        clearTimeout(timer);
      }
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
      const errors = errorLogs();
      if (errors.length > 0)
        throw new Error(`the server logged ${errors.length} error(s):\n${errors.join('\n')}`);
    },
  };
}

/**
 * What `npm start` does the first time, once: a server of the shop `env` seeds the demo data on a
 * fresh folder and stops cleanly. Returns the folder, for the servers of the files after it to
 * start from a copy (about eight seconds of CPU each, over twenty files).
 */
export async function seedDemoData(env: Readonly<Record<string, string>> = {}): Promise<string> {
  const orderly = await startOrderly(env, { keepData: true });
  await orderly.stop();
  return orderly.dataDir;
}

const usedEmails = new Set<string>();

/** A readable email address for a person's name, unique in this process (one server per file). */
export function uniqueEmail(name: string): string {
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '.')
      .replace(/^\.|\.$/g, '') || 'shopper';
  let email = `${slug}@example.com`;
  for (let n = 2; usedEmails.has(email); n++) email = `${slug}${n}@example.com`;
  usedEmails.add(email);
  return email;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

// ---------------------------------------------------------------------------------------------
// The browser

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Puts `token` where the web app keeps its session, before the app's first script runs: on every
 * page load, or on the first one only (the tab's sessionStorage remembers it was done).
 */
async function storeToken(context: BrowserContext, token: string, everyPage: boolean): Promise<void> {
  await context.addInitScript(
    ({ t, every }: { t: string; every: boolean }) => {
      interface Store {
        getItem(k: string): string | null;
        setItem(k: string, v: string): void;
      }
      try {
        const g = globalThis as unknown as { localStorage: Store; sessionStorage: Store };
        if (!every) {
          if (g.sessionStorage.getItem('orderly.test.token-stored')) return;
          g.sessionStorage.setItem('orderly.test.token-stored', '1');
        }
        g.localStorage.setItem('orderly.token', t);
      } catch {
        // a sandboxed frame (the mailbox's email preview) has no storage
      }
    },
    { t: token, every: everyPage },
  );
}

/** A browser context already signed in with `token` (as after signing in on the site). */
export async function signedInContext(
  browser: Browser,
  token: string,
  options: Parameters<Browser['newContext']>[0] = DESKTOP,
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await storeToken(context, token, true);
  return context;
}

/**
 * A browser context that still holds a token the server no longer accepts, as after a session
 * ended elsewhere. The token is there before the first page's scripts run and on that page only:
 * the app drops a refused token, and a person's browser does not put it back. Set on a page that
 * has already loaded, it could be sent (and dropped) by that page's own late requests first.
 */
export async function expiredSessionContext(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0] = DESKTOP,
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await storeToken(context, 'expired-or-forged', false);
  return context;
}

/**
 * Everything the browser says that a person would never want to see: console errors and
 * warnings (a Content-Security-Policy violation is one), uncaught exceptions, and API answers
 * with a 5xx status. A test may declare HTTP statuses it provokes on purpose (a declined card is
 * a 402, and Chromium logs every failed fetch on the console).
 */
export class ConsoleWatch {
  readonly problems: string[] = [];
  readonly #expected = new Set<number>();

  readonly #expectedMessages: RegExp[] = [];

  expectStatus(...statuses: number[]): void {
    for (const s of statuses) this.#expected.add(s);
  }

  /** A console message the test provokes on purpose (a request it aborts, say). */
  expectConsole(message: RegExp): void {
    this.#expectedMessages.push(message);
  }

  attach(page: Page, label: string): Page {
    page.on('console', (message) => {
      const text = message.text();
      const type = message.type();
      const failedLoad = /the server responded with a status of (\d{3})/.exec(text);
      if (failedLoad && this.#expected.has(Number(failedLoad[1]))) return;
      if (this.#expectedMessages.some((m) => m.test(text))) return;
      if (type === 'error' || type === 'warning' || /Content.Security.Policy/i.test(text)) {
        // a failed load names no URL in its text: the location says which request it was
        const where = failedLoad ? ` (${message.location().url})` : '';
        this.problems.push(`[${label}] console.${type}: ${text}${where}`);
      }
    });
    page.on('pageerror', (error) => this.problems.push(`[${label}] uncaught: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 500 && !this.#expected.has(response.status())) {
        this.problems.push(`[${label}] HTTP ${response.status()} for ${response.url()}`);
      }
    });
    return page;
  }
}

// ---------------------------------------------------------------------------------------------
// Screenshots and accessibility

/** Saves a full-page PNG under test-results/screenshots/ and returns its path. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  // let transitions (toasts, focus rings) settle so the picture shows what a person sees
  await page.waitForTimeout(150);
  await page.screenshot({ path, fullPage, animations: 'disabled' });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core on the page as it is now and returns its violations (WCAG 2.x A/AA and best
 * practices). axe is evaluated through the DevTools protocol rather than added as a <script> tag:
 * the server's Content-Security-Policy (script-src 'self') rightly refuses inline scripts, and
 * the tests keep that policy on so that they would see the app break it.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(`
    window.axe.run(document, { resultTypes: ['violations'] }).then((r) =>
      r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ')),
      })),
    )`);
  return result as AxeViolation[];
}

/** axe's violations as a readable message for an assertion. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  return `${where}: ${violations.length} accessibility violation(s)\n${violations
    .map((v) => `  ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`)
    .join('\n')}`;
}

/** Fails with every axe-core violation on the page, named by `where`. */
export async function assertAccessible(page: Page, where: string): Promise<void> {
  const violations = await axe(page);
  assert.equal(violations.length, 0, describeViolations(where, violations));
}

/**
 * What a raw API error or a programming slip looks like on a page: JSON braces with quoted keys,
 * error codes, `[object Object]`, `undefined`, `NaN`.
 */
export const RAW_OUTPUT =
  /[{[]\s*"[a-zA-Z]|"code"\s*:|"message"\s*:|\b(?:internal_error|validation_failed|payment_declined|out_of_stock)\b|\[object Object\]|\bundefined\b|\bNaN\b/;

/** The visible text of the page's main region (or body). */
export async function visibleText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

/**
 * Waits until the checkout shows the server's quote of the address as it is in the form now
 * (shipping and tax worked out, nothing pending) and returns the total it names ("$93.09").
 */
export async function quotedTotal(page: Page): Promise<string> {
  await page
    .locator('[data-testid="checkout-summary"]:not([aria-busy]) [data-testid="summary-shipping"]')
    .waitFor();
  return page.getByTestId('checkout-total').innerText();
}

/** Evaluates a JavaScript expression in the page (written as text: these files have no DOM types). */
export async function inPage<T>(page: Page, expression: string): Promise<T> {
  return (await page.evaluate(expression)) as T;
}

/** Polls `probe` until it returns something other than undefined; fails after `ms`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  ms = 5_000,
  what = 'a condition',
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(50);
  }
}
