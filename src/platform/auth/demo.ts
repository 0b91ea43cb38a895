import type { StaffRole } from './permissions.ts';

/**
 * The demo shop's staff besides the owner (`ADMIN_EMAIL`), to try the roles with: their
 * credentials are in the README. Only loaded with the demo data, never on a shop's own database.
 */
export const DEMO_STAFF: readonly { email: string; name: string; role: StaffRole; password: string }[] = [
  { email: 'staff@orderly.demo', name: 'Stacy Staff', role: 'staff', password: 'demo staff passphrase' },
  {
    email: 'support@orderly.demo',
    name: 'Simon Support',
    role: 'support',
    password: 'demo support passphrase',
  },
];
