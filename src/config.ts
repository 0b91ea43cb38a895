import { z } from 'zod';
import { PASSWORD_HASH_COST, passwordWeakness } from './platform/auth/model.ts';

/**
 * Every setting Orderly reads, in one place, read once from the environment and validated:
 * a wrong value stops the server at start with a sentence, never at the first request.
 * docs/configuration.md lists every variable of `envSchema`, with its default and meaning
 * (test/docs-configuration.test.ts fails when one is missing).
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  DATABASE_URL: optionalString,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  DATABASE_PREPARED_STATEMENTS: boolean.default(true),
  DATABASE_POOLER: z.enum(['none', 'transaction']).default('none'),
  DATABASE_DIRECT_URL: optionalString,
  DATABASE_READ_URL: optionalString,
  DATABASE_READ_STICKY_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  DATA_DIR: z.string().default('./data'),
  UPLOAD_DIR: z.string().min(1).default('./data/uploads'),
  SEED_DEMO_DATA: boolean.optional(),
  JWT_SECRET: optionalString,
  JWT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(8 * 3600),
  ADMIN_EMAIL: optionalString,
  ADMIN_PASSWORD: optionalString,
  SHOP_EMAIL: z.email().optional(),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .default('USD'),
  PRICES_INCLUDE_TAX: boolean.default(false),
  RESERVATION_TTL: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).default(10_000),
  PAYMENT_RECOVERY_AFTER: z.coerce.number().int().min(1).default(60),
  PAYMENT_PROVIDER: z.enum(['sandbox', 'stripe']).default('sandbox'),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_API_URL: optionalString,
  EMAIL_PROVIDER: z.enum(['log', 'smtp', 'sendgrid']).default('log'),
  EMAIL_FROM: z.string().default('Orderly <orders@orderly.local>'),
  SMTP_URL: optionalString,
  SENDGRID_API_KEY: optionalString,
  SENDGRID_API_URL: optionalString,
  SMS_PROVIDER: z.enum(['none', 'log', 'twilio']).default('log'),
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM: optionalString,
  TWILIO_API_URL: optionalString,
  NATS_URL: optionalString,
  NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a JetStream stream name')
    .default('ORDERLY'),
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be NATS subject tokens separated by dots')
    .default('orderly'),
  CORS_ORIGINS: optionalString,
  TRUST_PROXY: optionalString,
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  RATE_LIMIT_AUTH_PER_IP: z.coerce.number().int().min(1).default(20),
  PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(20).default(PASSWORD_HASH_COST),
  RATE_LIMIT_AUTH_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  SUPPORT_REFUND_LIMIT: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(5000),
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(200),
  BENCH_COUNT_STATEMENTS: boolean.default(false),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  METRICS_HOST: z.string().default('127.0.0.1'),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  LIVE_STREAMS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(10),
  WEBHOOKS_ALLOW_PRIVATE_URLS: boolean.optional(),
  WEBHOOKS_ALLOW_HTTP: boolean.optional(),
  WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOKS_RETRY_BASE_MS: z.coerce.number().int().min(10).default(30_000),
  WEBHOOKS_RETRY_MAX_MS: z.coerce
    .number()
    .int()
    .min(10)
    .default(60 * 60_000),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  /** the storefront's address as a shopper reaches it, for links in emails (password reset) */
  publicUrl: string;
  /** `preparedStatements`: name repeated statements so PostgreSQL parses and plans each once per connection */
  /**
   * `directUrl`: PostgreSQL itself when `url` is a pooler in transaction mode (DATABASE_POOLER),
   * for what needs a session of its own (LISTEN, the relay's lock)
   */
  database: {
    url: string | undefined;
    poolSize: number;
    dataDir: string;
    preparedStatements: boolean;
    directUrl: string | undefined;
    /** a streaming replica of `url` for reads that may lag a moment (ADR 0032) */
    readUrl: string | undefined;
    /** how long a person who wrote keeps reading from the primary */
    readStickyMs: number;
  };
  seedDemoData: boolean;
  /** where uploaded product images are kept; served at `/uploads/<name>` */
  uploadDir: string;
  auth: {
    /** undefined outside production: a random key is made on first start and kept in the database */
    jwtSecret: string | undefined;
    tokenTtlSeconds: number;
    admin: { email: string; password: string } | null;
    /** scrypt's cost (log2 N) for new password hashes */
    passwordHashCost: number;
  };
  /** `SHOP_EMAIL`, else `ADMIN_EMAIL`: where messages for the shop go; null when neither is set */
  shopEmail: string | null;
  currency: string;
  /** catalog and shipping prices contain tax (VAT-style) rather than having it added (docs/pricing.md) */
  pricesIncludeTax: boolean;
  reservationTtlSeconds: number;
  sweepIntervalMs: number;
  paymentRecoveryAfterSeconds: number;
  /** the most a staff member with the `support` role may refund at once, in minor units */
  supportRefundLimit: number;
  payment:
    | { provider: 'sandbox' }
    | {
        provider: 'stripe';
        secretKey: string;
        webhookSecret: string | undefined;
        apiUrl: string | undefined;
      };
  email: {
    provider: 'log' | 'smtp' | 'sendgrid';
    from: string;
    smtpUrl: string | undefined;
    sendgridApiKey: string | undefined;
    sendgridApiUrl: string | undefined;
  };
  sms: {
    provider: 'none' | 'log' | 'twilio';
    twilioAccountSid: string | undefined;
    twilioAuthToken: string | undefined;
    twilioFrom: string | undefined;
    twilioApiUrl: string | undefined;
  };
  natsUrl: string | undefined;
  /** JetStream stream the outbox relay publishes to, and the first token of its subjects */
  natsStream: string;
  natsSubjectPrefix: string;
  corsOrigins: string[];
  /**
   * Which proxies may set X-Forwarded-For (Fastify's `trustProxy`): off by default, so a client
   * cannot pick its own IP address and slip past the per-IP rate limits.
   */
  trustProxy: boolean | string[] | ((address: string, hop: number) => boolean);
  /** login and registration: at most `perIp` per address and `perAccount` per email in each window */
  rateLimit: { windowSeconds: number; authPerIp: number; authPerAccount: number };
  /** on SIGTERM: how long open keep-alive connections may still send a last request */
  shutdownGraceMs: number;
  workers: number;
  outboxPollMs: number;
  /** count SQL statements per route for the benchmark (`/internal/statements`, admins only) */
  benchCountStatements: boolean;
  /**
   * `GET /metrics`: `token` makes it ask for `Authorization: Bearer <token>`; `port` serves it on
   * its own listener at `host:port` instead of the public one (where it is then a 404).
   */
  metrics: { token: string | undefined; host: string; port: number | undefined };
  /** live-update streams one client address may hold open at once (admins' are not counted) */
  liveStreamsPerAddress: number;
  /**
   * Outgoing webhooks (docs/webhooks.md): internal addresses and plain http are refused in
   * production unless allowed; each attempt waits `timeoutMs`; retries back off from
   * `retryBaseMs` doubling to `retryMaxMs`, for 24 hours.
   */
  webhooks: {
    allowPrivateUrls: boolean;
    allowHttp: boolean;
    timeoutMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && (!e.JWT_SECRET || e.JWT_SECRET.length < 32)) {
    throw new ConfigError(
      'JWT_SECRET must be set to a random value of at least 32 characters in production.',
    );
  }
  if (e.NODE_ENV === 'production' && e.PASSWORD_HASH_COST < PASSWORD_HASH_COST) {
    throw new ConfigError(`PASSWORD_HASH_COST must be at least ${PASSWORD_HASH_COST} in production.`);
  }
  if (e.PAYMENT_PROVIDER === 'stripe' && !e.STRIPE_SECRET_KEY) {
    throw new ConfigError('PAYMENT_PROVIDER=stripe needs STRIPE_SECRET_KEY.');
  }
  if (e.EMAIL_PROVIDER === 'smtp' && !e.SMTP_URL)
    throw new ConfigError('EMAIL_PROVIDER=smtp needs SMTP_URL.');
  if (e.EMAIL_PROVIDER === 'sendgrid' && !e.SENDGRID_API_KEY) {
    throw new ConfigError('EMAIL_PROVIDER=sendgrid needs SENDGRID_API_KEY.');
  }
  if (e.DATABASE_READ_URL && !e.DATABASE_URL) {
    throw new ConfigError('DATABASE_READ_URL needs DATABASE_URL: a replica is of a PostgreSQL primary.');
  }
  if (e.WORKERS > 1 && !e.DATABASE_URL) {
    throw new ConfigError('WORKERS > 1 needs DATABASE_URL: the embedded database belongs to one process.');
  }
  if (e.DATABASE_POOLER === 'transaction' && (!e.DATABASE_URL || !e.DATABASE_DIRECT_URL)) {
    throw new ConfigError(
      'DATABASE_POOLER=transaction needs DATABASE_URL (the pooler) and DATABASE_DIRECT_URL (PostgreSQL itself, for LISTEN).',
    );
  }
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD must be set together.');
  }
  const adminWeakness =
    e.NODE_ENV === 'production' && e.ADMIN_PASSWORD
      ? passwordWeakness(e.ADMIN_PASSWORD, [e.ADMIN_EMAIL ?? ''])
      : null;
  if (adminWeakness) throw new ConfigError(`ADMIN_PASSWORD ${adminWeakness.message}`);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`,
    database: {
      url: e.DATABASE_URL,
      poolSize: e.DATABASE_POOL_SIZE,
      dataDir: e.DATA_DIR,
      // a pooler in transaction mode hands each transaction any server connection, where a
      // statement prepared on another one does not exist (PgBouncer 1.18, Debian's, keeps none)
      preparedStatements: e.DATABASE_PREPARED_STATEMENTS && e.DATABASE_POOLER === 'none',
      directUrl: e.DATABASE_DIRECT_URL,
      readUrl: e.DATABASE_READ_URL,
      readStickyMs: e.DATABASE_READ_STICKY_SECONDS * 1000,
    },
    // Demo data makes `npm start` useful at once; on a real PostgreSQL it is opt-in.
    seedDemoData: e.SEED_DEMO_DATA ?? e.DATABASE_URL === undefined,
    uploadDir: e.UPLOAD_DIR,
    auth: {
      jwtSecret: e.JWT_SECRET,
      tokenTtlSeconds: e.JWT_TTL_SECONDS,
      admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : null,
      passwordHashCost: e.PASSWORD_HASH_COST,
    },
    // the shop's contact for messages about money that needs a person (a refund that failed)
    shopEmail: e.SHOP_EMAIL ?? e.ADMIN_EMAIL ?? null,
    currency: e.CURRENCY,
    pricesIncludeTax: e.PRICES_INCLUDE_TAX,
    reservationTtlSeconds: e.RESERVATION_TTL,
    sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    paymentRecoveryAfterSeconds: e.PAYMENT_RECOVERY_AFTER,
    supportRefundLimit: e.SUPPORT_REFUND_LIMIT,
    payment:
      e.PAYMENT_PROVIDER === 'stripe'
        ? {
            provider: 'stripe',
            secretKey: e.STRIPE_SECRET_KEY ?? '',
            webhookSecret: e.STRIPE_WEBHOOK_SECRET,
            apiUrl: e.STRIPE_API_URL,
          }
        : { provider: 'sandbox' },
    email: {
      provider: e.EMAIL_PROVIDER,
      from: e.EMAIL_FROM,
      smtpUrl: e.SMTP_URL,
      sendgridApiKey: e.SENDGRID_API_KEY,
      sendgridApiUrl: e.SENDGRID_API_URL,
    },
    sms: {
      provider: e.SMS_PROVIDER,
      twilioAccountSid: e.TWILIO_ACCOUNT_SID,
      twilioAuthToken: e.TWILIO_AUTH_TOKEN,
      twilioFrom: e.TWILIO_FROM,
      twilioApiUrl: e.TWILIO_API_URL,
    },
    natsUrl: e.NATS_URL,
    natsStream: e.NATS_STREAM,
    natsSubjectPrefix: e.NATS_SUBJECT_PREFIX,
    corsOrigins: e.CORS_ORIGINS ? e.CORS_ORIGINS.split(',').map((s) => s.trim()) : [],
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    rateLimit: {
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      authPerIp: e.RATE_LIMIT_AUTH_PER_IP,
      authPerAccount: e.RATE_LIMIT_AUTH_PER_ACCOUNT,
    },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    workers: e.WORKERS,
    outboxPollMs: e.OUTBOX_POLL_MS,
    benchCountStatements: e.BENCH_COUNT_STATEMENTS,
    metrics: { token: e.METRICS_TOKEN, host: e.METRICS_HOST, port: e.METRICS_PORT },
    liveStreamsPerAddress: e.LIVE_STREAMS_PER_ADDRESS,
    // A webhook URL is whatever an admin types: in production it must not reach the shop's own
    // network (metadata services, databases); on a developer's machine a local receiver is the point.
    webhooks: {
      allowPrivateUrls: e.WEBHOOKS_ALLOW_PRIVATE_URLS ?? e.NODE_ENV !== 'production',
      allowHttp: e.WEBHOOKS_ALLOW_HTTP ?? e.NODE_ENV !== 'production',
      timeoutMs: e.WEBHOOKS_TIMEOUT_MS,
      retryBaseMs: e.WEBHOOKS_RETRY_BASE_MS,
      retryMaxMs: e.WEBHOOKS_RETRY_MAX_MS,
    },
  };
}

/** `TRUST_PROXY`: unset or `false` (trust no proxy), `true`, a hop count, or addresses/CIDRs separated by commas. */
function parseTrustProxy(value: string | undefined): Config['trustProxy'] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return (_address, hop) => hop < hops;
  }
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
