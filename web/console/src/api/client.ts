// The one way screens call the API: the bearer token of the session, the user's language, and
// our error shape as a typed ApiError. An expired token is refreshed once and the call retried.
import { getSession, refresh } from '../auth/session';
import { ApiError } from './errors';
import { http, type HttpRequest } from './http';

export { ApiError } from './errors';

const SESSION_ENDED = new Set(['authentication_required', 'token_expired', 'token_invalid']);

export interface ApiRequest extends Omit<HttpRequest, 'token'> {
  /** `access`: the session's access token instead of the ID token (`/auth/password`). */
  tokenKind?: 'id' | 'access';
}

function currentToken(kind: 'id' | 'access' = 'id'): string | null {
  const state = getSession();
  if (state.status !== 'signed_in') return null;
  return kind === 'access' ? state.session.accessToken : state.session.token;
}

export async function api<T>(path: string, { tokenKind, ...request }: ApiRequest = {}): Promise<T> {
  try {
    return await http<T>(path, { ...request, token: currentToken(tokenKind) });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !SESSION_ENDED.has(error.code)) {
      throw error;
    }
    if (!(await refresh())) throw error;
    return http<T>(path, { ...request, token: currentToken(tokenKind) });
  }
}
