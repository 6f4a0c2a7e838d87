// The signed-in user's own account (docs/api.md "POST /auth/password").
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ApiError } from '../../api/errors';

export interface PasswordChange {
  current_password: string;
  new_password: string;
}

/** Cognito's ChangePassword takes the access token, not the ID token the other calls use. */
export function useChangePassword() {
  return useMutation<null, ApiError, PasswordChange>({
    mutationFn: (change) => api<null>('/auth/password', { method: 'POST', body: change, tokenKind: 'access' }),
  });
}
