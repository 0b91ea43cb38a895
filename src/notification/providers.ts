/**
 * The channels' providers: email (log mailbox, SMTP, SendGrid) and SMS (log, Twilio), each over its
 * official client. Over 400 lines because they share one rule for which failures are worth a retry,
 * which belongs beside every provider that applies it.
 */
import { Client as SendGridClient } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import nodemailer from 'nodemailer';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

import { ConfigError } from '../config.ts';

/**
 * Where rendered notifications leave the process. Providers only deliver: retries, backoff and the
 * delivery status belong to the notification service, which needs one thing from here: a send
 * that resolves when the provider accepted the message and throws a `DeliveryError` when it did not.
 */

export interface EmailMessage {
  /** an address, or `Name <address>` */
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
  /** our notification id: sent along so a provider's record can be traced back to our row */
  messageId: string;
  /** files sent along (the invoice PDF with an order's confirmation) */
  attachments?: readonly EmailAttachment[];
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface SmsMessage {
  /** E.164, e.g. +15551234567 */
  to: string;
  body: string;
  /** our notification id */
  messageId: string;
}

export interface SendResult {
  /** the provider's own id for the message, when it gives one */
  providerMessageId: string | null;
}

export interface EmailProvider {
  readonly name: string;
  send(message: EmailMessage): Promise<SendResult>;
}

export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<SendResult>;
}

/**
 * The provider did not accept the message. `permanent` says whether sending the same message
 * again can succeed: a 5xx SMTP reply or a rejected recipient will not, a timeout, a 4xx reply,
 * a rate limit or a 5xx from an HTTP API may. Bad credentials are not permanent for the message:
 * once an operator fixes them, the message should still go out.
 * The message never contains credentials, and the error keeps no reference to the request.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly provider: string;
  /** HTTP status or SMTP reply code, null when there was no answer (connection refused, timeout) */
  readonly statusCode: number | null;
  /** the provider's or the socket's code: `ECONNECTION`, Twilio's `21211`, … */
  readonly code: string | null;
  readonly permanent: boolean;
  constructor(
    provider: string,
    message: string,
    detail: { statusCode?: number | null; code?: string | null; permanent: boolean },
  ) {
    super(message);
    this.provider = provider;
    this.statusCode = detail.statusCode ?? null;
    this.code = detail.code ?? null;
    this.permanent = detail.permanent;
  }
}

/** Last line of defence: a secret that slipped into a provider's message is cut out of ours. */
function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringField(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return typeof field === 'string' ? field : undefined;
}

function numberField(value: unknown, key: string): number | undefined {
  if (!isRecord(value)) return undefined;
  const field = value[key];
  return typeof field === 'number' ? field : undefined;
}

/** HTTP answers that a later attempt can get past. */
function retryableHttpStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 408 || status === 429 || status >= 500;
}

// ---------------------------------------------------------------------------------------------
// Log: the notification row in the database is the mailbox

export class LogEmailProvider implements EmailProvider {
  readonly name = 'log';
  async send(_message: EmailMessage): Promise<SendResult> {
    return { providerMessageId: null };
  }
}

export class LogSmsProvider implements SmsProvider {
  readonly name = 'log';
  async send(_message: SmsMessage): Promise<SendResult> {
    return { providerMessageId: null };
  }
}

// ---------------------------------------------------------------------------------------------
// SMTP

export interface SmtpOptions {
  /** `smtp://user:pass@host:587`, `smtps://…:465`; nodemailer's URL syntax */
  url: string;
  /** for connecting, the greeting and each command; a stuck server must not hold a worker for minutes */
  timeoutMs?: number;
}

/** The password of a connection URL as written (percent-encoded) and as sent. */
function urlPasswords(url: string): string[] {
  if (!URL.canParse(url)) return [];
  const raw = new URL(url).password;
  try {
    return [raw, decodeURIComponent(raw)];
  } catch {
    return [raw];
  }
}

/** The domain of the sender, for a Message-ID that is ours: `<notification-id@shop.example>`. */
function senderDomain(from: string): string {
  const match = /@([^\s<>@]+?)>?\s*$/.exec(from);
  return match?.[1] ?? 'orderly.local';
}

export class SmtpEmailProvider implements EmailProvider {
  readonly name = 'smtp';
  readonly #transport;
  readonly #secrets: string[];

  constructor(options: SmtpOptions) {
    const timeout = options.timeoutMs ?? 15_000;
    this.#secrets = urlPasswords(options.url);
    // Not pooled: each send opens its own connection, so one broken connection cannot fail the
    // sends queued behind it, and nothing stays open between notifications.
    this.#transport = nodemailer.createTransport({
      url: options.url,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 2,
    });
  }

  async send(message: EmailMessage): Promise<SendResult> {
    try {
      const info = await this.#transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        // The same Message-ID on every attempt: a receiving server or client that saw a retry of a
        // message it already accepted can recognise the duplicate.
        messageId: `<${message.messageId}@${senderDomain(message.from)}>`,
        headers: { 'X-Orderly-Notification-Id': message.messageId },
        attachments: (message.attachments ?? []).map((a) => ({
          filename: a.filename,
          content: a.content,
          contentType: a.contentType,
        })),
      });
      if (info.accepted.length === 0) {
        throw new DeliveryError(this.name, `SMTP server accepted no recipient (${info.response}).`, {
          permanent: true,
        });
      }
      return { providerMessageId: info.messageId };
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw this.#toDeliveryError(error);
    }
  }

  #toDeliveryError(error: unknown): DeliveryError {
    const responseCode = numberField(error, 'responseCode');
    const code = stringField(error, 'code') ?? null;
    const response = stringField(error, 'response');
    const permanentFlag = isRecord(error) ? error['permanent'] : undefined;
    // A refused login (535) is the operator's to fix, not the message's fault: keep it retryable.
    const permanent =
      code !== 'EAUTH' &&
      code !== 'ENOAUTH' &&
      (typeof permanentFlag === 'boolean'
        ? permanentFlag
        : responseCode !== undefined && responseCode >= 500 && responseCode !== 503);
    // The reply text without its leading code: "451 Try again later" → "Try again later".
    const detail =
      response?.replace(/^\d{3}[ -]/, '') ?? (error instanceof Error ? error.message : String(error));
    const message =
      responseCode === undefined
        ? `SMTP delivery failed (${code ?? 'error'}): ${detail}`
        : `SMTP server answered ${responseCode}: ${detail}`;
    return new DeliveryError(this.name, redact(message, this.#secrets), {
      statusCode: responseCode ?? null,
      code,
      permanent,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// SendGrid v3 mail send, through the official client

export interface SendGridOptions {
  apiKey: string;
  /** another base URL than https://api.sendgrid.com/ (a test double, SendGrid's EU host) */
  baseUrl?: string;
  timeoutMs?: number;
}

export class SendGridEmailProvider implements EmailProvider {
  readonly name = 'sendgrid';
  readonly #mail: MailService;
  readonly #apiKey: string;

  constructor(options: SendGridOptions) {
    this.#apiKey = options.apiKey;
    // Our own client instance rather than the package's shared singleton, and the base URL through
    // the client's documented `setDefaultRequest`. It must come after `setApiKey`, which resets the
    // base URL to the region's host.
    const client = new SendGridClient();
    client.setApiKey(options.apiKey);
    if (options.baseUrl) client.setDefaultRequest('baseUrl', options.baseUrl);
    this.#mail = new MailService();
    this.#mail.setClient(client);
    this.#mail.setTimeout(options.timeoutMs ?? 15_000);
  }

  async send(message: EmailMessage): Promise<SendResult> {
    let response;
    try {
      [response] = await this.#mail.send({
        to: message.to,
        from: message.from,
        subject: message.subject,
        text: message.text,
        html: message.html,
        // Comes back on every SendGrid event webhook, so delivery events can find our row.
        customArgs: { notification_id: message.messageId },
        headers: { 'X-Orderly-Notification-Id': message.messageId },
        ...(message.attachments?.length && {
          attachments: message.attachments.map((a) => ({
            filename: a.filename,
            type: a.contentType,
            content: a.content.toString('base64'),
            disposition: 'attachment',
          })),
        }),
      });
    } catch (error) {
      throw this.#toDeliveryError(error);
    }
    const id = response.headers?.['x-message-id'];
    return { providerMessageId: typeof id === 'string' && id !== '' ? id : null };
  }

  #toDeliveryError(error: unknown): DeliveryError {
    // A ResponseError from @sendgrid/client: `code` is the HTTP status, the body SendGrid's errors.
    const status = numberField(error, 'code');
    if (status !== undefined) {
      const body = isRecord(error) && isRecord(error['response']) ? error['response']['body'] : undefined;
      const errors = isRecord(body) && Array.isArray(body['errors']) ? body['errors'] : [];
      const reasons = errors
        .map((e: unknown) => {
          const text = stringField(e, 'message');
          const field = stringField(e, 'field');
          return text === undefined ? undefined : field ? `${text} (${field})` : text;
        })
        .filter((r): r is string => r !== undefined);
      const message = `SendGrid answered ${status}${reasons.length > 0 ? `: ${reasons.join('; ')}` : ''}.`;
      return new DeliveryError(this.name, redact(message, [this.#apiKey]), {
        statusCode: status,
        code: String(status),
        permanent: !retryableHttpStatus(status),
      });
    }
    // No answer: an axios error, whose `config` holds the Authorization header; only its code and
    // message are kept, never the error itself.
    const code = stringField(error, 'code') ?? null;
    const detail = error instanceof Error ? error.message : String(error);
    return new DeliveryError(this.name, redact(`SendGrid could not be reached: ${detail}`, [this.#apiKey]), {
      code,
      permanent: false,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Twilio Programmable Messaging, through the official client

type TwilioRequestOptions<T> = RequestClient.RequestOptions<T>;

/**
 * twilio v6 has no base URL option: `edge` and `region` only rewrite the host inside twilio.com.
 * Its documented extension point is a custom `httpClient`, so this one keeps the SDK's request
 * (auth, form encoding, headers) and only swaps the origin, for a test double or a proxy.
 */
class BaseUrlRequestClient extends twilio.RequestClient {
  readonly #base: URL;
  constructor(baseUrl: string, timeoutMs: number) {
    super({ timeout: timeoutMs });
    this.#base = new URL(baseUrl);
  }
  override request<T>(opts: TwilioRequestOptions<T>) {
    const target = new URL(opts.uri);
    const prefix = this.#base.pathname.replace(/\/+$/, '');
    const uri = `${this.#base.origin}${prefix}${target.pathname}${target.search}`;
    return super.request({ ...opts, uri });
  }
}

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** a sender number in E.164, or a Messaging Service SID (`MG…`) */
  from: string;
  /** another origin than https://api.twilio.com (a test double) */
  baseUrl?: string;
  timeoutMs?: number;
}

export class TwilioSmsProvider implements SmsProvider {
  readonly name = 'twilio';
  readonly #client: twilio.Twilio;
  readonly #from: string;
  readonly #authToken: string;

  constructor(options: TwilioOptions) {
    const timeout = options.timeoutMs ?? 15_000;
    this.#from = options.from;
    this.#authToken = options.authToken;
    this.#client = twilio(options.accountSid, options.authToken, {
      timeout,
      // The SDK's own 429 backoff would hide rate limits from the service's retry policy.
      autoRetry: false,
      ...(options.baseUrl ? { httpClient: new BaseUrlRequestClient(options.baseUrl, timeout) } : {}),
    });
  }

  async send(message: SmsMessage): Promise<SendResult> {
    try {
      const sender = this.#from.startsWith('MG') ? { messagingServiceSid: this.#from } : { from: this.#from };
      const created = await this.#client.messages.create({ to: message.to, body: message.body, ...sender });
      return { providerMessageId: created.sid ?? null };
    } catch (error) {
      throw this.#toDeliveryError(error);
    }
  }

  #toDeliveryError(error: unknown): DeliveryError {
    // RestException: `status` is the HTTP status, `code` Twilio's error number (21211: invalid To).
    const status = numberField(error, 'status');
    const detail = error instanceof Error ? error.message : String(error);
    if (status !== undefined) {
      const twilioCode = numberField(error, 'code');
      const message = `Twilio answered ${status}${twilioCode === undefined ? '' : ` (error ${twilioCode})`}: ${detail}`;
      return new DeliveryError(this.name, redact(message, [this.#authToken]), {
        statusCode: status,
        code: twilioCode === undefined ? null : String(twilioCode),
        permanent: !retryableHttpStatus(status),
      });
    }
    const code = stringField(error, 'code') ?? null;
    return new DeliveryError(this.name, redact(`Twilio could not be reached: ${detail}`, [this.#authToken]), {
      code,
      permanent: false,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Factories: a missing setting stops start-up with a sentence

export interface EmailProviderConfig {
  provider: 'log' | 'smtp' | 'sendgrid';
  smtpUrl?: string | undefined;
  sendgridApiKey?: string | undefined;
  sendgridBaseUrl?: string | undefined;
}

export interface SmsProviderConfig {
  provider: 'none' | 'log' | 'twilio';
  twilioAccountSid?: string | undefined;
  twilioAuthToken?: string | undefined;
  twilioFrom?: string | undefined;
  twilioBaseUrl?: string | undefined;
}

function requireUrl(value: string, setting: string, protocols: readonly string[]): void {
  if (!URL.canParse(value) || !protocols.includes(new URL(value).protocol)) {
    throw new ConfigError(`${setting} must be a ${protocols.map((p) => `${p}//`).join(' or ')} URL.`);
  }
}

export function createEmailProvider(config: EmailProviderConfig): EmailProvider {
  switch (config.provider) {
    case 'log':
      return new LogEmailProvider();
    case 'smtp': {
      if (!config.smtpUrl)
        throw new ConfigError('EMAIL_PROVIDER=smtp needs SMTP_URL (e.g. smtp://user:pass@host:587).');
      requireUrl(config.smtpUrl, 'SMTP_URL', ['smtp:', 'smtps:']);
      return new SmtpEmailProvider({ url: config.smtpUrl });
    }
    case 'sendgrid': {
      if (!config.sendgridApiKey) throw new ConfigError('EMAIL_PROVIDER=sendgrid needs SENDGRID_API_KEY.');
      if (config.sendgridBaseUrl) requireUrl(config.sendgridBaseUrl, 'SENDGRID_API_URL', ['http:', 'https:']);
      return new SendGridEmailProvider({ apiKey: config.sendgridApiKey, baseUrl: config.sendgridBaseUrl });
    }
    default:
      throw new ConfigError(
        `Unknown EMAIL_PROVIDER "${String((config as { provider: unknown }).provider)}".`,
      );
  }
}

/** `none` turns SMS off: the service then sends no SMS at all, hence `null` rather than a provider. */
export function createSmsProvider(config: SmsProviderConfig): SmsProvider | null {
  switch (config.provider) {
    case 'none':
      return null;
    case 'log':
      return new LogSmsProvider();
    case 'twilio': {
      const missing = [
        config.twilioAccountSid ? null : 'TWILIO_ACCOUNT_SID',
        config.twilioAuthToken ? null : 'TWILIO_AUTH_TOKEN',
        config.twilioFrom ? null : 'TWILIO_FROM',
      ].filter((name): name is string => name !== null);
      if (missing.length > 0) throw new ConfigError(`SMS_PROVIDER=twilio needs ${missing.join(', ')}.`);
      const accountSid = config.twilioAccountSid as string;
      if (!accountSid.startsWith('AC')) throw new ConfigError('TWILIO_ACCOUNT_SID must start with AC.');
      if (config.twilioBaseUrl) requireUrl(config.twilioBaseUrl, 'TWILIO_API_URL', ['http:', 'https:']);
      return new TwilioSmsProvider({
        accountSid,
        authToken: config.twilioAuthToken as string,
        from: config.twilioFrom as string,
        baseUrl: config.twilioBaseUrl,
      });
    }
    default:
      throw new ConfigError(`Unknown SMS_PROVIDER "${String((config as { provider: unknown }).provider)}".`);
  }
}
