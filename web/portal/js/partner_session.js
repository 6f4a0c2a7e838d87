// What the partner's pages share with the landing page's "I installed this product": the
// partner's session token kept on this device, and the partner texts' own catalogue.
import { addWords, has, language } from '/shared/js/i18n.js';
import { loading } from './shell.js';

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
// opens the landing page from a QR code does not download them. They are added to the
// language's texts after each language switch (which replaces the texts).
const texts = {};
let failed = false;

function partnerTexts(code) {
  texts[code] ||= fetch(`/i18n/partner/${code}.json`).then((r) => {
    if (!r.ok) throw new Error(`partner catalogue ${code}: ${r.status}`);
    return r.json();
  }).catch((error) => {
    delete texts[code];
    throw error;
  });
  return texts[code];
}

function loadTexts(ctx) {
  const code = language();
  failed = false;
  partnerTexts(code).then((catalogue) => {
    if (language() === code) addWords(catalogue);
  }, () => { failed = true; }).finally(() => ctx.redraw());
}

/** ``null`` once the partner texts are there; else what to show meanwhile (they are asked
 * for, and the page drawn again when they come): a progress bar, or after a failure
 * ``onFailed(retry)``'s answer. */
export function partnerTextsMissing(ctx, onFailed) {
  if (has('partner.title')) return null;
  if (failed) return onFailed(() => { failed = false; loadTexts(ctx); ctx.redraw(); });
  queueMicrotask(() => loadTexts(ctx));
  return loading();
}
