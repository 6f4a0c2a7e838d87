// The staff session: the ID and access tokens in memory only (a page reload forgets them; the
// access token is what Cognito's own calls, such as a password change, take), the refresh token
// in sessionStorage (this tab only, gone when it closes). A reload or an expired token is
// healed by one refresh; when that fails the session is "expired" and the user signs in again.
import { useSyncExternalStore } from 'react';
import { ApiError } from '../api/errors';
import { http } from '../api/http';

const REFRESH_KEY = 'garanti.console.refresh';

// `dealer`: a dealer's own user (not staff): its menu is the dealer's home and nothing else;
// `service`: a partner service company's user (not staff): its company's requests only
export type Role = 'admin' | 'cs' | 'technician' | 'accountant' | 'director' | 'dealer' | 'service';
const ROLES: readonly string[] = ['admin', 'cs', 'technician', 'accountant', 'director', 'dealer', 'service'];

export interface Session {
  token: string;
  /** The access token: only for the calls that act on the account itself (`/auth/password`). */
  accessToken: string;
  username: string;
  roles: Role[];
}

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed_out'; byUser: boolean }
  | { status: 'expired' }
  | { status: 'signed_in'; session: Session };

interface TokensResponse {
  id_token: string;
  access_token: string;
  refresh_token: string | null;
  expires_in: number;
}

function storedRefreshToken(): string | null {
  try {
    return sessionStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

function storeRefreshToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(REFRESH_KEY, token);
    else sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    // storage refused: the session lasts until the page reloads
  }
}

/** The claims of a JWT, read without checking it (the API checks every call). */
function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** `cognito:groups` → the roles the console knows (`["admin"]`). */
export function sessionOf(idToken: string, accessToken = ''): Session {
  const claims = claimsOf(idToken);
  const groups = Array.isArray(claims['cognito:groups']) ? claims['cognito:groups'] : [];
  const username = claims['cognito:username'];
  return {
    token: idToken,
    accessToken,
    username: typeof username === 'string' ? username : '',
    roles: groups.filter((g): g is Role => typeof g === 'string' && ROLES.includes(g)),
  };
}

let state: SessionState = storedRefreshToken()
  ? { status: 'restoring' }
  : { status: 'signed_out', byUser: false };
const listeners = new Set<() => void>();
let refreshing: Promise<boolean> | null = null;

function setState(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

function accept(tokens: TokensResponse): void {
  if (tokens.refresh_token) storeRefreshToken(tokens.refresh_token);
  setState({ status: 'signed_in', session: sessionOf(tokens.id_token, tokens.access_token) });
}

export function getSession(): SessionState {
  return state;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The session's state, re-rendering on every change. */
export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, getSession);
}

/** `POST /auth/login`; an ApiError (`invalid_credentials`, `sign_in_challenge_required` with
 * `challenge: "NEW_PASSWORD_REQUIRED"`, …) when refused. */
export async function signIn(username: string, password: string): Promise<void> {
  accept(await http<TokensResponse>('/auth/login', { method: 'POST', body: { username, password } }));
}

/** `POST /auth/new-password`: the first sign-in with a temporary password sets a new one. */
export async function setFirstPassword(
  username: string,
  password: string,
  newPassword: string,
): Promise<void> {
  accept(
    await http<TokensResponse>('/auth/new-password', {
      method: 'POST',
      body: { username, password, new_password: newPassword },
    }),
  );
}

/** New tokens from the refresh token (one request however many callers ask at once); false
 * (and the session expired) when there is none or the API refuses it. */
export function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = storedRefreshToken();
    try {
      if (!token) throw new ApiError(401, 'authentication_required', '');
      accept(await http<TokensResponse>('/auth/refresh', { method: 'POST', body: { refresh_token: token } }));
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 0 && state.status === 'signed_in') {
        return false; // offline: keep the session, the call fails with "network error"
      }
      expire();
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/** The session ended without the user asking (a refused token): sign in again. */
export function expire(): void {
  storeRefreshToken(null);
  setState({ status: 'expired' });
}

/** The user signs out: the tokens are forgotten here (they expire on their own at the pool). */
export function signOut(): void {
  storeRefreshToken(null);
  setState({ status: 'signed_out', byUser: true });
}

/** The signed-in user's roles (none while signed out). */
export function useRoles(): readonly Role[] {
  const state = useSession();
  return state.status === 'signed_in' ? state.session.roles : [];
}
