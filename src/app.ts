import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fastifyHelmet from '@fastify/helmet';
import fastifyCors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { CatalogService } from './catalog/service.ts';
import { guestRoutes } from './guests/routes.ts';
import { GuestService } from './guests/service.ts';
import { ImageFiles, UPLOADS_PATH } from './catalog/images.ts';
import { catalogRoutes } from './catalog/routes.ts';
import type { Config } from './config.ts';
import { customerRoutes } from './customers/routes.ts';
import { CustomerService } from './customers/service.ts';
import { seedDemoCatalog, seedDemoLocations, seedDemoReturn, seedDemoShipments } from './demo-data.ts';
import { PUBLISHED_EVENT_TYPES, orderOf } from './events.ts';
import { documentRoutes } from './documents/routes.ts';
import { DocumentService } from './documents/service.ts';
import { InventoryService } from './inventory/service.ts';
import { fulfilmentRoutes } from './fulfilment/routes.ts';
import { FulfilmentService } from './fulfilment/service.ts';
import { inventoryRoutes } from './inventory/routes.ts';
import { createEmailProvider, createSmsProvider } from './notification/providers.ts';
import { notificationRoutes } from './notification/routes.ts';
import { NotificationService, SEND_INTERVAL_MS } from './notification/service.ts';
import { CartService } from './orders/cart.ts';
import { draftRoutes } from './orders/draft-routes.ts';
import { orderRoutes } from './orders/routes.ts';
import { OrderService } from './orders/service.ts';
import type { PaymentProvider } from './payment/provider.ts';
import { paymentWebhookRoutes } from './payment/routes.ts';
import { SandboxPaymentProvider } from './payment/sandbox.ts';
import { PaymentService } from './payment/service.ts';
import { seedDemoPromotions } from './promotions/demo.ts';
import { promotionRoutes } from './promotions/routes.ts';
import { PromotionService } from './promotions/service.ts';
import { StripePaymentProvider, stripeApiAddress, type StripeProviderOptions } from './payment/stripe.ts';
import { StripeWebhooks } from './payment/webhooks.ts';
import { authRoutes } from './platform/auth/routes.ts';
import { AccountDirectory } from './platform/auth/directory.ts';
import { ProfileService } from './platform/auth/profile.ts';
import { AuthService, accountOf, accountsOf, linkStatesOf, signingSecret } from './platform/auth/service.ts';
import { DEMO_STAFF } from './platform/auth/demo.ts';
import { StaffService } from './platform/auth/staff.ts';
import { staffRoutes } from './platform/auth/staff-routes.ts';
import { TokenService } from './platform/auth/tokens.ts';
import { openDatabase, type DatabaseHandle } from './platform/db.ts';
import {
  clientErrorHandler,
  frameworkErrors,
  installAuth,
  installErrorHandling,
  installGracefulShutdown,
  installInputGuards,
  installRateLimits,
} from './platform/http.ts';
import { PeriodicJob } from './platform/jobs.ts';
import type { RetryPolicy } from './platform/retry.ts';
import { liveRoutes, orderFeed } from './platform/live.ts';
import { createLogger, isStaticAssetRequest } from './platform/logger.ts';
import { Metrics } from './platform/metrics.ts';
import { installMetricsEndpoint } from './platform/metrics-endpoint.ts';
import { migrateUp } from './platform/migrate.ts';
import { tidyOpenApi } from './platform/openapi.ts';
import { NatsRelay } from './platform/nats-relay.ts';
import { OutboxDispatcher } from './platform/outbox.ts';
import { ReadRouting } from './platform/replica.ts';
import { StatementCounter } from './platform/statements.ts';
import { returnRoutes } from './returns/routes.ts';
import { ReturnService } from './returns/service.ts';
import { seedDemoShipping } from './shipping/demo.ts';
import { shippingRoutes } from './shipping/routes.ts';
import { ShippingService } from './shipping/service.ts';
import { RulesCaches } from './platform/rules-cache.ts';
import { seedDemoTax } from './tax/demo.ts';
import { taxRoutes } from './tax/routes.ts';
import { TaxService } from './tax/service.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import type { Resolver } from './webhooks/sender.ts';
import { DELIVERY_INTERVAL_MS, WebhookService } from './webhooks/service.ts';

export const API_PREFIX = '/api/v1';
export const API_VERSION = '1.4.0';
const WEB_DIST = fileURLToPath(new URL('../web/dist/', import.meta.url));
/** how long a cached zone or tax rate lasts when an instance missed the notice of its change */
const RULES_MAX_AGE_MS = 30_000;

export interface AppOptions {
  /** an open database to use instead of opening one from the configuration (tests) */
  database?: DatabaseHandle;
  logger?: Logger;
  /** a gateway to use instead of the configured one (tests) */
  paymentProvider?: PaymentProvider;
  /** Stripe client timing instead of the defaults below (tests: short timeouts) */
  stripe?: Pick<StripeProviderOptions, 'timeoutMs' | 'maxNetworkRetries'>;
  /** run the outbox dispatcher and periodic jobs; tests drive them by hand */
  background?: boolean;
  /** notification retry timing instead of the defaults (1 s doubling, 6 attempts); tests */
  notificationRetry?: Partial<RetryPolicy>;
  /** refund retry timing instead of the defaults (1 min doubling to 1 h, 10 attempts); tests */
  refundRetry?: Partial<RetryPolicy>;
  /** outgoing webhooks' clock and DNS resolver instead of the system's (tests: the 24-hour horizon, rebinding) */
  webhooks?: { clock?: () => Date; resolve?: Resolver };
}

export interface App {
  server: FastifyInstance;
  database: DatabaseHandle;
  outbox: OutboxDispatcher;
  services: {
    auth: AuthService;
    staff: StaffService;
    catalog: CatalogService;
    inventory: InventoryService;
    payment: PaymentService;
    orders: OrderService;
    fulfilment: FulfilmentService;
    cart: CartService;
    notifications: NotificationService;
    shipping: ShippingService;
    tax: TaxService;
    promotions: PromotionService;
    webhooks: WebhookService;
    documents: DocumentService;
    returns: ReturnService;
  };
  jobs: { recovery: PeriodicJob; notifications: PeriodicJob; refunds: PeriodicJob; webhooks: PeriodicJob };
  /** publishes the outbox to NATS JetStream when `NATS_URL` is set */
  relay: NatsRelay | null;
  /** the address of `/metrics` when it has a listener of its own (`METRICS_PORT`), once started */
  metricsAddress: string | null;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The composition root: every context built from one configuration and wired together. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<App> {
  const log = options.logger ?? createLogger(config.logLevel);
  const statements = config.benchCountStatements ? new StatementCounter() : null;
  const database =
    options.database ??
    (await openDatabase({
      url: config.database.url,
      dataDir: config.database.dataDir,
      poolSize: config.database.poolSize,
      preparedStatements: config.database.preparedStatements,
      directUrl: config.database.directUrl,
      onQuery: statements?.record,
    }));
  const db = database.db;
  await migrateUp(db);
  // a streaming replica is migrated by its primary; it is only read (ADR 0032)
  const replica = config.database.readUrl
    ? await openDatabase({
        url: config.database.readUrl,
        dataDir: '',
        poolSize: config.database.poolSize,
        preparedStatements: config.database.preparedStatements,
        onQuery: statements?.record,
      })
    : null;
  const reads = new ReadRouting(db, replica?.db ?? null, config.database.readStickyMs);

  const tokens = new TokenService(
    config.auth.jwtSecret ?? (await signingSecret(db)),
    config.auth.tokenTtlSeconds,
  );
  const notifications = new NotificationService({
    db,
    log: log.child({ context: 'notification' }),
    email: createEmailProvider({ ...config.email, sendgridBaseUrl: config.email.sendgridApiUrl }),
    sms: createSmsProvider({ ...config.sms, twilioBaseUrl: config.sms.twilioApiUrl }),
    from: config.email.from,
    shopEmail: config.shopEmail,
    sources: {
      orders: (trx, ids) => orders.ordersForNotification(ids, trx),
      customers: (trx, ids) => accountsOf(trx, ids),
      orderUrls: (trx, list): Promise<Map<string, string>> => guests.orderUrls(trx, list),
      attachesInvoices: () => documents.attachesInvoiceToConfirmation(),
      invoiceAttachment: (orderId) => documents.invoiceAttachment(orderId),
    },
    retry: options.notificationRetry,
  });
  const auth = new AuthService({
    db,
    tokens,
    mailer: notifications,
    publicUrl: config.publicUrl,
    passwordHashCost: config.auth.passwordHashCost,
  });
  const profile = new ProfileService(db);
  const staff = new StaffService({
    db,
    log: log.child({ context: 'staff' }),
    mailer: notifications,
    publicUrl: config.publicUrl,
    accounts: (ids) => auth.accounts(ids),
    passwordHashCost: config.auth.passwordHashCost,
  });
  const directory = new AccountDirectory(db);
  const inventory = new InventoryService(db, config.reservationTtlSeconds);
  const rules = new RulesCaches(database, log.child({ context: 'rules' }), RULES_MAX_AGE_MS);
  const catalog = new CatalogService(db, inventory, config.currency, rules, reads.for(null));
  const imageFiles = new ImageFiles(config.uploadDir);
  const shipping = new ShippingService(db, rules);
  const tax = new TaxService(db, config.pricesIncludeTax, rules);
  const promotions = new PromotionService(db, config.currency);
  const provider = options.paymentProvider ?? (await paymentProvider(config, database, options.stripe));
  const payment = new PaymentService(db, provider, log.child({ context: 'payment' }), options.refundRetry);
  const orders = new OrderService({
    db,
    reads,
    catalog,
    inventory,
    payment,
    shipping,
    tax,
    promotions,
    customers: { contact: (id) => accountOf(db, id), idsMatching: (search) => directory.idsMatching(search) },
    log: log.child({ context: 'orders' }),
    paymentRecoveryAfterSeconds: config.paymentRecoveryAfterSeconds,
    supportRefundLimit: config.supportRefundLimit,
  });
  const fulfilment = new FulfilmentService({
    db,
    log: log.child({ context: 'fulfilment' }),
    orders,
    inventory,
  });
  const cart = new CartService(db, catalog, inventory, orders);
  const guests = new GuestService({ auth, orders, tokens, publicUrl: config.publicUrl });
  const drafts = orders.drafts({
    accounts: {
      find: async (trx, id) => {
        const account = await accountOf(trx, id);
        const link = account && (await linkStatesOf(trx, [id])).get(id);
        return account && link && { ...account, version: link.version };
      },
      guestShopper: (email, name, db) => auth.guestShopper(email, name, db),
    },
    tokens,
    mailer: notifications,
    publicUrl: config.publicUrl,
  });
  const documents = new DocumentService(
    db,
    {
      orders: (trx, ids) => orders.ordersForNotification(ids, trx),
      customers: (trx, ids) => accountsOf(trx, ids),
      authorize: async (user, id) => {
        await orders.get(user, id);
      },
      authorizeLink: async (id, token) => {
        await guests.order(id, token);
      },
      parcel: async (user, orderId, shipmentId) => {
        const shipment = (await fulfilment.list(user, orderId)).find((s) => s.id === shipmentId);
        return shipment && { ...shipment, location: shipment.location.name };
      },
    },
    log.child({ context: 'documents' }),
  );
  const returns = new ReturnService({
    db,
    log: log.child({ context: 'returns' }),
    orders: orders.forReturns(),
    fulfilment,
    inventory,
    catalog,
    recoveryAfterMs: config.paymentRecoveryAfterSeconds * 1000,
  });
  const outbox = new OutboxDispatcher(database, log.child({ context: 'outbox' }), {
    pollMs: config.outboxPollMs,
  });
  outbox.subscribe(notifications.subscriber());
  const outgoingWebhooks = new WebhookService({
    db,
    log: log.child({ context: 'webhooks' }),
    eventTypes: PUBLISHED_EVENT_TYPES.map((e) => e.type),
    policy: { allowHttp: config.webhooks.allowHttp, allowPrivateAddresses: config.webhooks.allowPrivateUrls },
    timeoutMs: config.webhooks.timeoutMs,
    schedule: { baseDelayMs: config.webhooks.retryBaseMs, maxDelayMs: config.webhooks.retryMaxMs },
    ...options.webhooks,
  });
  outbox.subscribe(outgoingWebhooks.subscriber());
  outbox.subscribe(documents.subscriber());
  const metrics = new Metrics({
    db,
    log: log.child({ context: 'metrics' }),
    reservations: () => inventory.reservationCounts(),
    notificationQueue: () => notifications.queueFigures(),
  });
  outbox.onDispatched((events) => metrics.countEvents(events));

  const admin =
    config.auth.admin && (await auth.ensureAdmin(config.auth.admin.email, config.auth.admin.password));
  if (config.seedDemoData) {
    const seeded = await seedDemoCatalog(catalog);
    if (seeded > 0) log.info({ products: seeded }, 'demo catalog loaded');
    if (seeded > 0 && (await seedDemoLocations(inventory, catalog.variantDirectory, db)) > 0)
      log.info({ locations: 2 }, 'demo stock locations loaded');
    const zones = await seedDemoShipping(shipping, config.currency);
    const rates = await seedDemoTax(tax, new Map((await shipping.listZones()).map((z) => [z.name, z.id])));
    if (zones + rates > 0) log.info({ zones, rates }, 'demo shipping zones and tax rates loaded');
    const codes = await seedDemoPromotions(promotions);
    if (codes > 0) log.info({ discountCodes: codes }, 'demo discount codes loaded');
    if (await documents.seedDemoShopDetails()) log.info('demo shop details loaded');
    const members = await staff.seedDemo(DEMO_STAFF);
    if (members > 0) log.info({ staff: members }, 'demo staff and support accounts loaded');
    // the demo's parcels and finished return are handled by a person: the owner when one is
    // configured, else the demo staff member; the sandbox pays and refunds them
    const handler = admin
      ? { id: admin.id, email: admin.email }
      : (await staff.list()).find((m) => m.role === 'staff' && m.status === 'active');
    if (handler && config.payment.provider === 'sandbox') {
      const person = {
        id: handler.id,
        email: handler.email,
        role: 'admin' as const,
        staffRole: admin ? ('owner' as const) : ('staff' as const),
      };
      const parcels = await seedDemoShipments({ auth, catalog, orders, fulfilment }, person);
      if (parcels > 0) log.info({ shipments: parcels }, 'demo order in two shipments loaded');
      const made = await seedDemoReturn({ auth, catalog, orders, fulfilment, returns }, person);
      if (made > 0) log.info({ returns: made }, 'demo return loaded');
    }
  }

  const server = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: isStaticAssetRequest }),
    bodyLimit: 256 * 1024,
    // while closing, a request on a connection still open is served (with Connection: close),
    // not refused with a bare 503: the database stays open until the last one is answered
    return503OnClosing: false,
    trustProxy: config.trustProxy,
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);
  installErrorHandling(server);
  installInputGuards(server);
  const drain = installGracefulShutdown(server);
  metrics.install(server);
  statements?.install(server);
  reads.install(server);
  await installRateLimits(server, config.rateLimit);

  await server.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        // helmet's default also allows fonts from any https host; the web app ships its own
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        // Orderly may be served over plain HTTP (a shop's intranet, a local demo); upgrading
        // its own requests to https there would leave a blank page.
        upgradeInsecureRequests: null,
      },
    },
  });
  await server.register(fastifyCors, { origin: config.corsOrigins.length > 0 ? config.corsOrigins : false });
  // after helmet and CORS, whose onRequest hooks must also dress a 401 or 403
  installAuth(server, (token) => auth.authenticate(token));
  await server.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Orderly API',
        version: API_VERSION,
        description:
          'Orders, catalog, stock, cart and payments. Money is a decimal amount with an ISO currency.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => tidyOpenApi(jsonSchemaTransformObject(document)),
  });
  await server.register(fastifySwaggerUi, { routePrefix: '/api-docs', staticCSP: true });

  server.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  const metricsListener = installMetricsEndpoint(server, metrics, config.metrics);
  let metricsAddress: string | null = null;
  server.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
      return { status: 'ready' };
    } catch {
      return reply.code(503).header('retry-after', '1').send({ status: 'unavailable' });
    }
  });

  await server.register(
    async (api) => {
      await api.register(authRoutes(auth, profile));
      await api.register(catalogRoutes(catalog, imageFiles));
      await api.register(inventoryRoutes(inventory, catalog.variantDirectory, db));
      await api.register(orderRoutes(orders, cart, config.currency));
      await api.register(customerRoutes(new CustomerService(directory, orders), config.currency));
      await api.register(guestRoutes(guests, config.currency));
      await api.register(fulfilmentRoutes(fulfilment, (orderId, token) => guests.linkHolder(orderId, token)));
      await api.register(draftRoutes(drafts, config.currency));
      await api.register(notificationRoutes(notifications));
      await api.register(shippingRoutes(shipping, config.currency));
      await api.register(taxRoutes(tax));
      await api.register(promotionRoutes(promotions));
      await api.register(webhookRoutes(outgoingWebhooks));
      await api.register(documentRoutes(documents));
      await api.register(
        returnRoutes(returns, (orderId, token) => guests.linkHolder(orderId, token), config.currency),
      );
      await api.register(staffRoutes(staff));
      await api.register(
        liveRoutes(
          (token) => auth.authenticate(token),
          [
            inventory.liveStock((listener) => outbox.onEvents(listener), log.child({ context: 'inventory' })),
            orderFeed(outbox, (ids) => orders.ownersOf(ids), log.child({ context: 'live' })),
          ],
          config.liveStreamsPerAddress,
        ),
      );
    },
    { prefix: API_PREFIX },
  );
  // Uploaded product images, from their own folder: names are random, so they may be cached long.
  await mkdir(imageFiles.directory, { recursive: true });
  await server.register(fastifyStatic, {
    root: imageFiles.directory,
    prefix: UPLOADS_PATH,
    decorateReply: false,
    wildcard: true,
    index: false,
    dotfiles: 'deny',
    maxAge: '30d',
    immutable: true,
  });
  // Stripe's webhooks, outside the API: signed by Stripe, not called by people.
  const webhooks = new StripeWebhooks({
    db,
    payment,
    stripe: provider instanceof StripePaymentProvider ? provider.stripe : null,
    secret: config.payment.provider === 'stripe' ? config.payment.webhookSecret : undefined,
    orders: {
      settle: (orderId, outcome) => orders.settlePayment(orderId, outcome),
      refundedOutside: (orderId, apply) => orders.refundedOutside(orderId, apply),
    },
    log: log.child({ context: 'payment' }),
  });
  await server.register(paymentWebhookRoutes(webhooks));

  // The storefront and admin are one single-page app: any GET that is not the API and not a
  // file gets its index.html, and the client-side router takes it from there.
  const webBuilt = existsSync(WEB_DIST);
  if (webBuilt)
    await server.register(fastifyStatic, { root: WEB_DIST, wildcard: false, index: ['index.html'] });
  server.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (webBuilt && request.method === 'GET' && !path.startsWith('/api/') && !path.includes('.')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply
      .code(404)
      .send({ code: 'not_found', message: `No route ${request.method} ${path}.`, details: {} });
  });

  // What a crash or a lost answer left behind: stalled orders, then the charges of order changes
  // (ADR 0043) and exchanges (ADR 0041) whose request died.
  const recovery = new PeriodicJob(
    'recovery',
    config.sweepIntervalMs,
    async () =>
      (await orders.recoverStalledOrders()) +
      (await orders.recoverChangeCharges()) +
      (await returns.recoverExchangeCharges()),
    log,
  );
  const notificationSender = new PeriodicJob(
    'notifications',
    SEND_INTERVAL_MS,
    () => notifications.sendDue(),
    log,
  );
  // Refunds the gateway could not take are tried again, and recorded on the order as they end.
  const refundRetry = new PeriodicJob(
    'refunds',
    config.sweepIntervalMs,
    () =>
      payment.retryDueRefunds(
        orders.refundSettlement((trx, refund, actor) => returns.refundCompleted(trx, refund, actor)),
      ),
    log,
  );
  const webhookWorker = new PeriodicJob(
    'webhooks',
    DELIVERY_INTERVAL_MS,
    () => outgoingWebhooks.deliverDue(),
    log,
  );
  let stopWakingSender: () => unknown = () => undefined;
  let stopWakingWebhooks: () => unknown = () => undefined;
  const background = options.background ?? true;
  const relay = config.natsUrl
    ? new NatsRelay(database, log.child({ context: 'nats' }), {
        url: config.natsUrl,
        stream: config.natsStream,
        subjectPrefix: config.natsSubjectPrefix,
        pollMs: config.outboxPollMs,
        orderOf,
      })
    : null;

  return {
    server,
    database,
    outbox,
    services: {
      auth,
      staff,
      catalog,
      inventory,
      payment,
      orders,
      fulfilment,
      cart,
      notifications,
      shipping,
      tax,
      promotions,
      webhooks: outgoingWebhooks,
      documents,
      returns,
    },
    jobs: { recovery, notifications: notificationSender, refunds: refundRetry, webhooks: webhookWorker },
    relay,
    get metricsAddress() {
      return metricsAddress;
    },
    async start() {
      await server.ready();
      await rules.start();
      if (metricsListener) metricsAddress = await metricsListener.listen();
      if (background) {
        await outbox.start();
        await relay?.start();
        recovery.start();
        refundRetry.start();
        notificationSender.start();
        // Messages go out as soon as their events are dispatched, not at the next interval.
        stopWakingSender = outbox.onCommitted((events) => {
          if (notifications.concerns(events)) void notificationSender.tick();
        });
        webhookWorker.start();
        stopWakingWebhooks = outbox.onCommitted((events) => {
          if (outgoingWebhooks.concerns(events)) void webhookWorker.tick();
        });
      }
    },
    async close() {
      // a listening server lets open connections finish their last request first (SIGTERM)
      await drain(config.shutdownGraceMs);
      await server.close();
      await metricsListener?.close();
      await recovery.stop();
      await refundRetry.stop();
      stopWakingSender();
      await notificationSender.stop();
      stopWakingWebhooks();
      await webhookWorker.stop();
      await outbox.stop();
      await relay?.stop();
      await rules.stop();
      if (!options.database) await database.close();
      await replica?.close();
    },
  };
}

async function paymentProvider(
  config: Config,
  database: DatabaseHandle,
  stripe: AppOptions['stripe'] = {},
): Promise<PaymentProvider> {
  if (config.payment.provider === 'stripe') {
    return new StripePaymentProvider({
      secretKey: config.payment.secretKey,
      ...stripeApiAddress(config.payment.apiUrl),
      // Per attempt. A shopper's checkout waits on this call, and with the SDK's two retries
      // (0.5–1 s apart) 8 s keeps a hung Stripe to about 25 s, inside the 30 s browsers and
      // proxies commonly allow, while a slow but working Stripe (a few seconds with 3-D Secure
      // checks) still answers in time. A retry reuses the idempotency key, so it never charges twice.
      timeoutMs: 8_000,
      maxNetworkRetries: 2,
      ...stripe,
    });
  }
  return new SandboxPaymentProvider(database.db);
}
