import { apiBase } from '../config';
import { currentLanguage } from '../i18n';
import { errorFrom, networkError } from './errors';

export type Query = Record<string, string | number | undefined | null>;

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** A body sent as it is with its own type (a CSV file) instead of `body` as JSON. */
  raw?: { type: string; data: Blob | string };
  query?: Query;
  token?: string | null;
  signal?: AbortSignal;
}

/** `/messages` + `{status: "failed", phone: ""}` → `/messages?status=failed` (empty values dropped). */
export function urlOf(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return `${apiBase}${path}${search ? `?${search}` : ''}`;
}

/** One call of the JSON API: the body parsed on success, else an ApiError (never a raw fetch
 * failure). Sends the user's language so that error messages come back in it. */
export async function http<T>(path: string, request: HttpRequest = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': currentLanguage(),
  };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  if (request.raw) headers['Content-Type'] = request.raw.type;
  if (request.token) headers.Authorization = `Bearer ${request.token}`;
  let response: Response;
  try {
    response = await fetch(urlOf(path, request.query), {
      method: request.method ?? 'GET',
      headers,
      body: request.raw ? request.raw.data : request.body === undefined ? null : JSON.stringify(request.body),
      signal: request.signal ?? null,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw errorFrom(response.status, body);
  return body as T;
}
