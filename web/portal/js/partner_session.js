// What the partner's pages share with the landing page's "I installed this product": the
// partner's session token kept on this device, and the partner texts' own catalogue.
import { ownTexts } from './shell.js';

// The partner's session token lives in localStorage, not sessionStorage like a customer's
// look-up token: a technician opens these pages on their own phone many times a week and must
// not type a code every day (the session lasts 90 days from its last day of use, and is ended
// by the server at once when the partner is suspended or rejected). It is a bearer token of
// the partner's own data only; "Sign out" deletes it here and on the server.
const SESSION_KEY = 'garanti.partner';

export function readToken() {
  try {
    const saved = JSON.parse(localStorage.getItem(SESSION_KEY) || 'null');
    if (saved && typeof saved.token === 'string' && saved.token) return saved.token;
  } catch {
    // unreadable: sign in again
  }
  return '';
}

export function keepToken(token) {
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify({ token }));
  } catch {
    // storage disabled: signed in for this page only
  }
}

export function forgetToken() {
  try {
    localStorage.removeItem(SESSION_KEY);
  } catch {
    // storage disabled: nothing was kept
  }
}

// The partner texts are a catalogue of their own (/i18n/partner/<lang>.json): a customer who
// opens the landing page from a QR code does not download them. ``partnerTextsMissing(ctx,
// onFailed)``: null once they are there (shell.js ``ownTexts``).
export const partnerTextsMissing = ownTexts('partner', 'partner.title');
