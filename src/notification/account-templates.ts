import type { AccountEmail } from '../platform/auth/model.ts';
import type { StaffRole } from '../platform/auth/permissions.ts';
import { paragraphBlock, renderShell, type RenderedEmail } from './templates.ts';

const STAFF_ROLE_WORDS: Record<StaffRole, string> = {
  owner: 'an owner (everything, including staff and settings)',
  staff: 'staff (orders, returns, stock, refunds)',
  support: 'support (reading orders and customers, e-mails, small refunds)',
};

/**
 * The emails about an account rather than an order: a warning to the owner when someone tries to
 * sign up with their address, the password reset link, the link that turns a guest's
 * account into one they sign in to, and a staff member's invitation. Same shell and escaping as the order
 * emails.
 */
export function renderAccountEmail(email: AccountEmail): RenderedEmail {
  switch (email.template) {
    case 'account_signup_attempt':
      return renderShell({
        subject: 'Someone tried to sign up with your email',
        preheader: 'You already have an account.',
        heading: `Hello ${email.name},`,
        intro: [
          'Someone tried to create an Orderly account with your email address. You already have one, so nothing was changed.',
          'If it was you and you have forgotten your password, reset it.',
        ],
        blocks: [paragraphBlock(['If it was not you, you can ignore this email: your account is safe.'])],
        action: { url: email.forgotPasswordUrl, label: 'Reset your password' },
        reason: 'You are receiving this email because someone used this address to sign up.',
      });
    case 'password_reset':
      return renderShell({
        subject: 'Reset your Orderly password',
        preheader: `This link works once, for ${email.expiresInMinutes} minutes.`,
        heading: `Hello ${email.name},`,
        intro: [
          'Someone asked to reset the password of your Orderly account. Choose a new one with the link below.',
          `The link works once and expires in ${email.expiresInMinutes} minutes. Resetting signs you out everywhere.`,
        ],
        blocks: [
          paragraphBlock(['If you did not ask for this, ignore this email: your password stays as it is.']),
        ],
        action: { url: email.resetUrl, label: 'Choose a new password' },
        reason: 'You are receiving this email because a password reset was requested for this address.',
      });
    case 'account_claim':
      return renderShell({
        subject: 'Finish creating your Orderly account',
        preheader: `This link works once, for ${email.expiresInHours} hours.`,
        heading: `Hello ${email.name},`,
        intro: [
          'Someone asked to create an Orderly account with your email address. You have ordered with it as a guest before: choose a password with the link below and those orders will be in your account.',
          `The link works once and expires in ${email.expiresInHours} hours.`,
        ],
        blocks: [
          paragraphBlock([
            'If you did not ask for this, ignore this email: nothing changes, and nobody can see your orders without this link.',
          ]),
        ],
        action: { url: email.claimUrl, label: 'Finish creating your account' },
        reason: 'You are receiving this email because an account was requested for this address.',
      });
    case 'staff_invitation':
      return renderShell({
        subject: "You have been invited to run the shop's admin",
        preheader: `${email.invitedBy} added you to the staff. This link works once, for ${email.expiresInHours} hours.`,
        heading: `Hello ${email.name},`,
        intro: [
          `${email.invitedBy} added you to the shop's staff on Orderly, as ${STAFF_ROLE_WORDS[email.role]}. Choose a password with the link below, then sign in to the admin.`,
          `The link works once and expires in ${email.expiresInHours} hours. If it has expired, use "Forgot password" on the sign-in page for a new one.`,
        ],
        blocks: [
          paragraphBlock([
            'If you did not expect this, ignore this email: nobody can sign in without a password.',
          ]),
        ],
        action: { url: email.setPasswordUrl, label: 'Choose your password' },
        reason: "You are receiving this email because the shop's owner invited this address.",
      });
    case 'order_payment_link':
      return renderShell({
        subject: `Pay for your order #${email.orderNumber}`,
        preheader: `Your order of ${email.total} is waiting for its payment.`,
        heading: `Hello ${email.name},`,
        intro: [
          `Thank you for your order #${email.orderNumber}. Its total is ${email.total}; the items are set aside for you.`,
          `Pay for it with the link below within ${email.expiresInDays} days; after that the order is cancelled.`,
        ],
        blocks: [paragraphBlock(['If you did not order anything, ignore this email: nothing is charged.'])],
        action: { url: email.payUrl, label: 'Pay for your order' },
        reason: 'You are receiving this email because the shop took an order for you.',
      });
  }
}
