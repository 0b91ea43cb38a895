/**
 * What each kind of staff member may do in the admin. An admin route names the permission it
 * needs (`config: { auth: 'admin', permission }`); the role table below is the one place that
 * says which roles hold it.
 */
export type StaffRole = 'owner' | 'staff' | 'support';

export type Permission =
  /** see orders, customers, stock, shipments, returns, invoices; export them */
  | 'orders.read'
  /** change, cancel, ship and deliver orders; draft orders; shipments */
  | 'orders.write'
  /** approve, reject and receive returns and exchanges */
  | 'returns'
  /** stock levels, stock locations, transfers */
  | 'inventory'
  /** refund money (support only up to the shop's limit) */
  | 'refunds'
  /** read the mailbox, resend e-mails */
  | 'notifications'
  /** products, variants, categories, images */
  | 'catalog'
  /** shipping, tax, discount codes, the shop's details, return policy, webhooks */
  | 'settings'
  /** staff accounts and the audit log */
  | 'staff';

export const STAFF_ROLES: readonly StaffRole[] = ['owner', 'staff', 'support'];

export const ROLE_PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  owner: [
    'orders.read',
    'orders.write',
    'returns',
    'inventory',
    'refunds',
    'notifications',
    'catalog',
    'settings',
    'staff',
  ],
  staff: ['orders.read', 'orders.write', 'returns', 'inventory', 'refunds', 'notifications'],
  support: ['orders.read', 'notifications', 'refunds'],
};

export function holds(role: StaffRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** What a signed-in account may use in the admin: nothing for a customer. */
export function permissionsOf(role: StaffRole | null): readonly Permission[] {
  return role ? ROLE_PERMISSIONS[role] : [];
}

/**
 * Whether a change to one staff member would leave the shop without an active owner: the last
 * owner may be neither given another role nor deactivated, or nobody could manage the staff.
 * `owners` are the ids of the active owners.
 */
export function leavesNoOwner(
  owners: readonly string[],
  memberId: string,
  change: { role: StaffRole } | 'deactivate',
): boolean {
  if (!owners.includes(memberId)) return false;
  if (change !== 'deactivate' && change.role === 'owner') return false;
  return owners.length <= 1;
}
