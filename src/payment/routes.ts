import type { FastifyPluginAsync } from 'fastify';
import type { StripeWebhooks } from './webhooks.ts';

/**
 * `POST /webhooks/stripe`, outside `/api/v1`: Stripe calls it, not API clients, so it takes no
 * token (only `/api/` routes need an auth rule) and is left out of the OpenAPI document. It is
 * authenticated by the `Stripe-Signature` header over the exact bytes received, which is why
 * this plugin (and only it: parsers are scoped to the plugin that adds them) reads every body
 * as a Buffer instead of parsing JSON.
 */
export function paymentWebhookRoutes(webhooks: StripeWebhooks): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    app.post(
      '/webhooks/stripe',
      // Stripe's events stay well under this; the API's 256 KiB default is for people's requests.
      { schema: { hide: true }, bodyLimit: 1024 * 1024 },
      async (request) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers['stripe-signature'];
        const result = await webhooks.receive(body, Array.isArray(signature) ? signature[0] : signature);
        return { received: true, result };
      },
    );
  };
}
