// The staff accounts (docs/api.md "Staff users"), one hook per resource.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';
import type { Role } from '../../auth/session';
import type { CursorPage } from '../../components/ServerTable';

export const ROLES: readonly Role[] = ['admin', 'cs', 'technician', 'accountant', 'director'];
/** The API's rule for a username (2–64 of a-z 0-9 . _ -, starting with a letter or digit). */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

export interface StaffUser {
  username: string;
  email: string | null;
  phone: string | null;
  roles: Role[];
  enabled: boolean;
  status: string;
  created_at: string;
}

/** An account with its temporary password: shown once, kept nowhere. */
export interface WithPassword {
  user: StaffUser;
  temporary_password: string;
}

interface UsersResponse {
  users: StaffUser[];
  next_cursor: string | null;
}

export function useStaffUsers(cursor: string) {
  return useQuery<CursorPage<StaffUser>, ApiError>({
    queryKey: ['staff-users', cursor],
    queryFn: async ({ signal }) => {
      const body = await api<UsersResponse>('/staff/users', { query: { cursor }, signal });
      return { records: body.users, nextCursor: body.next_cursor };
    },
    placeholderData: keepPreviousData,
  });
}

function path(username: string, action: string): string {
  return `/staff/users/${encodeURIComponent(username)}/${action}`;
}

function useUserChange<V, R>(call: (values: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation<R, ApiError, V>({
    mutationFn: call,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['staff-users'] });
    },
  });
}

export interface Invitation {
  username: string;
  email: string;
  roles: Role[];
}

export function useInvite() {
  return useUserChange((invitation: Invitation) =>
    api<WithPassword>('/staff/users', {
      method: 'POST',
      body: { ...invitation, email: invitation.email.trim() || null },
    }),
  );
}

export function useSetRoles(username: string) {
  return useUserChange((roles: Role[]) =>
    api<StaffUser>(path(username, 'roles'), { method: 'PUT', body: { roles } }),
  );
}

export function useSetEnabled(username: string) {
  return useUserChange((enabled: boolean) =>
    api<StaffUser>(path(username, enabled ? 'enable' : 'disable'), { method: 'POST' }),
  );
}

export function useResetPassword(username: string) {
  return useUserChange(() => api<WithPassword>(path(username, 'password'), { method: 'POST' }));
}
