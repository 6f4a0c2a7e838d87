// The one way screens call the API: the bearer token of the session, the user's language, and
// our error shape as a typed ApiError. An expired token is refreshed once and the call retried.
import { getSession, refresh } from '../auth/session';
import { ApiError } from './errors';
import { http, type HttpRequest } from './http';

export { ApiError } from './errors';

const SESSION_ENDED = new Set(['authentication_required', 'token_expired', 'token_invalid']);

function currentToken(): string | null {
  const state = getSession();
  return state.status === 'signed_in' ? state.session.token : null;
}

export async function api<T>(path: string, request: Omit<HttpRequest, 'token'> = {}): Promise<T> {
  try {
    return await http<T>(path, { ...request, token: currentToken() });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !SESSION_ENDED.has(error.code)) {
      throw error;
    }
    if (!(await refresh())) throw error;
    return http<T>(path, { ...request, token: currentToken() });
  }
}
