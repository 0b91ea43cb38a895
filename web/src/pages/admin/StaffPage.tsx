import { useState, type FormEvent } from 'react';
import * as api from '../../api.ts';
import type { StaffMember, StaffRole } from '../../api.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { useToast } from '../../components/Toasts.tsx';
import { Button, EmptyState, ErrorState, Field, Loading, Notice, TableScroll } from '../../components/ui.tsx';
import { describeError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import { useSession } from '../../lib/session.tsx';

export const ROLE_LABELS: Record<StaffRole, string> = {
  owner: 'Owner — everything',
  staff: 'Staff — orders, returns, stock, refunds',
  support: 'Support — reads orders, small refunds',
};
const ROLES: StaffRole[] = ['owner', 'staff', 'support'];
/** "owner", "staff", "support": the role as a sentence names it */
const roleName = (role: StaffRole) => ROLE_LABELS[role].split(' —')[0]?.toLowerCase();
const STATUS_LABELS: Record<StaffMember['status'], string> = {
  invited: 'Invited',
  active: 'Active',
  deactivated: 'Deactivated',
};

/**
 * The owner's staff list: invite someone, change a role, deactivate, reactivate. Both of the last
 * two ask first: one ends someone's sessions, the other gives them access back.
 */
export function StaffPage() {
  useTitle('Staff');
  const staff = useAsync((signal) => api.listStaff(signal), []);
  return (
    <>
      <PageHeader title="Staff" />
      <InviteForm onInvited={staff.reload} />
      {staff.loading && !staff.data ? (
        <Loading label="Loading the staff…" />
      ) : staff.error ? (
        <ErrorState error={staff.error} onRetry={staff.reload} />
      ) : !staff.data || staff.data.items.length === 0 ? (
        <EmptyState title="Nobody on the staff yet." />
      ) : (
        <TableScroll label="Staff members">
          <table className="table table-stack" data-testid="staff-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {staff.data.items.map((member) => (
                <MemberRow key={member.id} member={member} onChanged={staff.reload} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

function InviteForm({ onInvited }: { onInvited: () => void }) {
  const notify = useToast();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('staff');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const member = await api.inviteStaffMember({ email, name, role });
      notify(`${member.name} is invited: they have an email with a link to choose a password.`, 'success');
      setEmail('');
      setName('');
      onInvited();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card stack pricing-form"
      onSubmit={submit}
      aria-labelledby="invite-title"
      data-testid="invite-staff"
    >
      <h2 id="invite-title">Invite a staff member</h2>
      {error && <Notice kind="error">{error}</Notice>}
      <div className="form-grid">
        <Field label="Name" required>
          <input
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={200}
            autoComplete="off"
          />
        </Field>
        <Field label="Email" required>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
        </Field>
        <Field label="Role">
          <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Button type="submit" busy={busy}>
        Send the invitation
      </Button>
    </form>
  );
}

function MemberRow({ member, onChanged }: { member: StaffMember; onChanged: () => void }) {
  const notify = useToast();
  const { user } = useSession();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const deactivated = member.status === 'deactivated';

  const run = async (work: () => Promise<StaffMember>, done: (m: StaffMember) => string) => {
    setBusy(true);
    try {
      notify(done(await work()), 'success');
      onChanged();
    } catch (e) {
      notify(describeError(e), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <tr data-testid="staff-member">
      <td data-label="Name">
        {member.name}
        {member.id === user?.id && <span className="muted"> (you)</span>}
      </td>
      <td data-label="Email">{member.email}</td>
      <td data-label="Role">
        <select
          aria-label={`Role of ${member.name}`}
          value={member.role}
          disabled={busy || deactivated}
          onChange={(e) => {
            const role = e.target.value as StaffRole;
            void run(
              () => api.changeStaffRole(member.id, role),
              (m) => `${m.name} is now ${roleName(m.role)}.`,
            );
          }}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </td>
      <td data-label="Status">
        {STATUS_LABELS[member.status]}
        {member.deactivatedAt && <span className="muted"> {formatDateTime(member.deactivatedAt)}</span>}
      </td>
      <td>
        <Button variant="ghost" busy={busy} onClick={() => setConfirming(true)}>
          {deactivated ? 'Reactivate' : 'Deactivate'}
          <span className="visually-hidden"> {member.name}</span>
        </Button>
        <ConfirmDialog
          open={confirming}
          testId={deactivated ? 'reactivate-staff' : 'deactivate-staff'}
          cancelLabel={deactivated ? 'Leave them deactivated' : 'Keep them'}
          title={`${deactivated ? 'Reactivate' : 'Deactivate'} ${member.name}?`}
          confirmLabel={deactivated ? 'Reactivate' : 'Deactivate'}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void (deactivated
              ? run(
                  () => api.reactivateStaffMember(member.id),
                  (m) => `${m.name} can sign in again.`,
                )
              : run(
                  () => api.deactivateStaffMember(member.id),
                  (m) => `${m.name} is deactivated and signed out everywhere.`,
                ));
          }}
        >
          {deactivated
            ? `They can sign in again, as ${roleName(member.role)}. The sessions their deactivation ended stay ended.`
            : 'They are signed out at once and can no longer sign in. Their name stays on what they did.'}
        </ConfirmDialog>
      </td>
    </tr>
  );
}
