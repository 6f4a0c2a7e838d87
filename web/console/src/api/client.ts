// The one way screens call the API: the bearer token of the session, the user's language, and
// our error shape as a typed ApiError. An expired token is refreshed once and the call retried.
import { getSession, refresh } from '../auth/session';
import { currentLanguage } from '../i18n';
import { ApiError, errorFrom, networkError } from './errors';
import { http, urlOf, type HttpRequest } from './http';

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

/** A file the API answers (a QR code's SVG or PNG), fetched with the session's token: an
 * <img> cannot send it. */
export async function apiBlob(path: string, accept: string): Promise<Blob> {
  const attempt = async () => {
    const state = getSession();
    const headers: Record<string, string> = {
      Accept: accept,
      'Accept-Language': currentLanguage(),
    };
    if (state.status === 'signed_in') headers.Authorization = `Bearer ${state.session.token}`;
    try {
      return await fetch(urlOf(path), { headers });
    } catch {
      throw networkError();
    }
  };
  let response = await attempt();
  if (response.status === 401 && (await refresh())) response = await attempt();
  if (!response.ok) throw errorFrom(response.status, await response.json().catch(() => null));
  return response.blob();
}
