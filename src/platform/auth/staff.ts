import { readAudit, recordAudit, type AuditEntry, type AuditFilter } from '../audit.ts';
import type { Db } from '../db.ts';
import { conflict, notFound } from '../errors.ts';
import { writeTransaction } from '../locks.ts';
import type { Page } from '../pagination.ts';
import type { Logger } from 'pino';
import { hashLinkToken, hashPassword, newLinkToken, normalizeEmail, type Account } from './model.ts';
import { leavesNoOwner, type StaffRole } from './permissions.ts';
import type { AccountMailer } from './service.ts';
import * as store from './store.ts';

/** An invitation's link sets the first password, once, for this long. */
export const INVITATION_TTL_HOURS = 72;

export interface StaffMember {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  status: 'invited' | 'active' | 'deactivated';
  createdAt: Date;
  deactivatedAt: Date | null;
}

function member(row: store.StaffRow): StaffMember {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.staffRole,
    status: row.deactivated_at ? 'deactivated' : row.invited ? 'invited' : 'active',
    createdAt: new Date(row.created_at),
    deactivatedAt: row.deactivated_at ? new Date(row.deactivated_at) : null,
  };
}

export interface AuditLogEntry extends AuditEntry {
  /** who acted, by the name they have now; null for Orderly itself */
  actor: { id: string; name: string; email: string } | null;
}

/**
 * The owner's side of the staff: who is on it, with which role; inviting someone (an account
 * without a password and an emailed link to choose one, the password-reset machinery's), changing
 * a role, deactivating and reactivating. The shop always keeps an active owner. Every change is
 * audited.
 */
export class StaffService {
  readonly #db: Db;
  readonly #log: Logger;
  readonly #mailer: AccountMailer;
  readonly #publicUrl: string;
  readonly #accounts: (ids: readonly string[]) => Promise<Account[]>;
  readonly #cost: number | undefined;

  constructor(options: {
    db: Db;
    log: Logger;
    mailer: AccountMailer;
    publicUrl: string;
    accounts: (ids: readonly string[]) => Promise<Account[]>;
    /** scrypt's cost for the demo members' hashes (`PASSWORD_HASH_COST`) */
    passwordHashCost?: number | undefined;
  }) {
    this.#db = options.db;
    this.#log = options.log;
    this.#mailer = options.mailer;
    this.#publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.#accounts = options.accounts;
    this.#cost = options.passwordHashCost;
  }

  /**
   * The demo shop's staff and support members (`npm start` with demo data), with the passwords
   * the README gives; made once, never changed afterwards.
   */
  async seedDemo(members: readonly { email: string; name: string; role: StaffRole; password: string }[]) {
    let made = 0;
    for (const m of members) {
      if (await store.findByEmail(this.#db, m.email)) continue;
      const created = await store.insert(this.#db, {
        email: m.email,
        name: m.name,
        phone: null,
        role: 'admin',
        staffRole: m.role,
        passwordHash: await hashPassword(m.password, this.#cost),
      });
      if (created) made++;
    }
    return made;
  }

  async list(): Promise<StaffMember[]> {
    return (await store.listStaff(this.#db)).map(member);
  }

  /** A 409 `email_taken` when the email has an account of any kind: it is not taken over. */
  async invite(
    owner: { id: string },
    input: { email: string; name: string; role: StaffRole },
  ): Promise<StaffMember> {
    const email = normalizeEmail(input.email);
    const name = input.name.trim();
    return writeTransaction(this.#db, this.#log, async (trx) => {
      const created = await store.insertStaff(trx, { email, name, staffRole: input.role });
      if (!created) {
        throw conflict(
          'email_taken',
          'An account with this email exists already. Invite the person with another email address.',
          { email },
        );
      }
      const token = newLinkToken();
      const resetId = await store.insertPasswordReset(trx, {
        accountId: created.id,
        tokenHash: hashLinkToken(token),
        ttlSeconds: INVITATION_TTL_HOURS * 3600,
      });
      const inviter = await store.findById(trx, owner.id);
      // in the fragment, not the query: a browser never sends it to a server or a proxy's log
      await this.#mailer.sendAccountEmail(trx, resetId, email, {
        template: 'staff_invitation',
        name,
        invitedBy: inviter?.name ?? 'The owner',
        role: input.role,
        setPasswordUrl: `${this.#publicUrl}/reset-password#token=${token}`,
        expiresInHours: INVITATION_TTL_HOURS,
      });
      await recordAudit(trx, {
        actorId: owner.id,
        action: 'staff.invite',
        targetType: 'account',
        targetId: created.id,
        details: { email, name, role: input.role },
      });
      return this.#member(trx, created.id);
    });
  }

  async changeRole(owner: { id: string }, memberId: string, role: StaffRole): Promise<StaffMember> {
    return this.#change(owner, memberId, { role }, async (trx, before) => {
      if (before.staffRole === role) return;
      await store.setStaffRole(trx, memberId, role);
      await recordAudit(trx, {
        actorId: owner.id,
        action: 'staff.role_change',
        targetType: 'account',
        targetId: memberId,
        details: { from: before.staffRole, to: role },
      });
    });
  }

  /** Their sessions end at once (the token version moves on) and they can no longer sign in. */
  async deactivate(owner: { id: string }, memberId: string): Promise<StaffMember> {
    return this.#change(owner, memberId, 'deactivate', async (trx, before) => {
      if (before.deactivated_at) return;
      await store.deactivateStaff(trx, memberId);
      await recordAudit(trx, {
        actorId: owner.id,
        action: 'staff.deactivate',
        targetType: 'account',
        targetId: memberId,
        details: { email: before.email, role: before.staffRole },
      });
    });
  }

  /**
   * A deactivated member may sign in again, with the role they had; the sessions their
   * deactivation ended stay ended. Nobody loses an owner by it, so the owners are not locked.
   * 409 `not_deactivated` for a member who is not deactivated, also the loser of two at once.
   */
  async reactivate(owner: { id: string }, memberId: string): Promise<StaffMember> {
    return writeTransaction(this.#db, this.#log, async (trx) => {
      const before = await store.findStaff(trx, memberId);
      if (!before) throw notFound('Staff member', memberId);
      if (!(await store.reactivateStaff(trx, memberId))) {
        throw conflict('not_deactivated', `${before.name} is not deactivated: there is nothing to undo.`, {
          memberId,
        });
      }
      await recordAudit(trx, {
        actorId: owner.id,
        action: 'staff.reactivate',
        targetType: 'account',
        targetId: memberId,
        details: { email: before.email, role: before.staffRole },
      });
      return this.#member(trx, memberId);
    });
  }

  /** The audit log, newest first, each entry naming who acted. */
  async auditLog(
    filter: AuditFilter,
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<AuditLogEntry>> {
    const entries = await readAudit(this.#db, filter, page);
    const ids = [...new Set(entries.items.flatMap((e) => (e.actorId ? [e.actorId] : [])))];
    const people = new Map((await this.#accounts(ids)).map((a) => [a.id, a]));
    return {
      nextCursor: entries.nextCursor,
      items: entries.items.map((e) => {
        const person = e.actorId ? people.get(e.actorId) : undefined;
        return { ...e, actor: person ? { id: person.id, name: person.name, email: person.email } : null };
      }),
    };
  }

  /**
   * A change that could take an owner away: the active owners are locked first (ADR 0003's
   * `staff` lock), so of two owners demoting each other at once the second sees the first's
   * change and is refused.
   */
  async #change(
    owner: { id: string },
    memberId: string,
    change: { role: StaffRole } | 'deactivate',
    apply: (trx: Db, before: store.StaffRow) => Promise<void>,
  ): Promise<StaffMember> {
    return writeTransaction(this.#db, this.#log, async (trx) => {
      const owners = await store.lockActiveOwners(trx);
      const before = await store.findStaff(trx, memberId);
      if (!before) throw notFound('Staff member', memberId);
      if (leavesNoOwner(owners, memberId, change)) {
        throw conflict(
          'last_owner',
          change === 'deactivate'
            ? 'This is the last owner: the shop needs one. Make someone else an owner first.'
            : "This is the last owner: the shop needs one. Make someone else an owner before changing this one's role.",
          { memberId },
        );
      }
      await apply(trx, before);
      return this.#member(trx, memberId);
    });
  }

  async #member(trx: Db, id: string): Promise<StaffMember> {
    const row = await store.findStaff(trx, id);
    if (!row) throw notFound('Staff member', id);
    return member(row);
  }
}
