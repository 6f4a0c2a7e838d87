// What the service request pages share (js/service_request.js: ask for service; js/tracking.js:
// follow a request; "my products" lists a unit's requests): their own texts, the verdict with
// its reasons, a request's link, and the API's paths for requests.
import { h, icon } from '/shared/js/dom.js';
import { formatDate, formatNumber, t } from '/shared/js/i18n.js';
import { ownTexts } from './shell.js';

/** The service texts (/i18n/service/<lang>.json): null once they are there (shell.js ``ownTexts``). */
export const serviceTextsMissing = ownTexts('service', 'sr.title');

// The customer's routes for service requests (docs/api.md: "The customer's routes", and
// "Service requests: forms and self-help" for the form).
export const REQUESTS = '/service-requests';
export const REQUEST_FORM = '/public/service-requests/form';

const VERDICT_KIND = { in_warranty: 'ok', out_of_warranty: 'bad', needs_inspection: 'info' };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A reason's words (the API's), its days written as people write them in this language:
 * "Bảo hành đã hết vào ngày 2025-05-31." → "… 31/05/2025." */
function reasonText(reason) {
  let text = String(reason?.message || reason?.code || '');
  for (const value of Object.values(reason?.params || {})) {
    if (typeof value === 'string' && DAY.test(value)) text = text.split(value).join(formatDate(value));
  }
  return text;
}

/** The verdict (``{status, reasons: [{code, message}]}``) with its reasons in plain words; the
 * reasons' words are the API's, in the language the page asked in. ``next``: what it means for
 * a request about to be sent (not for one under way). */
export function claimVerdict(verdict, { headingLevel = 'h2', id = 'claim-verdict', next = true } = {}) {
  if (!verdict) return null;
  const kind = VERDICT_KIND[verdict.status] || 'info';
  const reasons = (Array.isArray(verdict.reasons) ? verdict.reasons : []).map(reasonText).filter(Boolean);
  return h('section', { class: `verdict ${kind}`, id, 'aria-labelledby': `${id}-title` },
    icon(kind),
    h('div', null,
      h(headingLevel, { id: `${id}-title`, tabindex: '-1' }, t(`sr.verdict.${verdict.status}`)),
      reasons.length ? h('ul', { class: 'reasons', id: `${id}-reasons` }, reasons.map((text) => h('li', null, text))) : null,
      next ? h('p', { class: 'detail' }, t(`sr.verdict.${verdict.status}_next`)) : null));
}

/** A request's page on this site: ``/r/<claim_id>`` (``?t=`` its link's token, when known). */
export function trackingPath(claimId, token) {
  const path = `/r/${encodeURIComponent(claimId)}`;
  return token ? `${path}?t=${encodeURIComponent(token)}` : path;
}

/** The token of a portal link ``…/r/<id>?t=<token>`` or ``…/c/<token>`` from the API. */
export function linkToken(url, kind) {
  try {
    const parsed = new URL(url, location.origin);
    if (kind === 'r') return parsed.searchParams.get('t') || '';
    const found = parsed.pathname.match(/^\/c\/([A-Za-z0-9_-]{1,200})$/);
    return found ? found[1] : '';
  } catch {
    return '';
  }
}

export const money = (vnd) => `${formatNumber(vnd)} ₫`;

const OVER = ['confirmed', 'closed', 'cancelled', 'quote_declined'];

/** A unit's warranty history on "my products" (``GET /public/units/{serial}/warranty-history`` with
 * the session) and on the installer's history (``GET /partner/units/{serial}/warranty-history``):
 * activation, customer (masked), installer, the store that sold it, then its requests, open ones
 * first. An open request says where it is (and its outcome, else its verdict), a finished one
 * its outcome. On "my products" (``links``) each request is a link to its page (the session
 * opens it without the link's token); the installer reads them without one. The answer read:
 * ``{activated_at, customer: {name}, installer: {name, store?}|name, store: {name}|name (the
 * shop the installer named, else the dealer it was shipped to), claims: [{claim_id,
 * claim_type, state, step, created_at, verdict?, outcome?}]}`` (until it answers, the card keeps
 * the unit's own history). */
export function warrantyHistory(history, index, { links = true, customer = false } = {}) {
  const row = (label, value) => (value ? [h('dt', null, label), h('dd', null, value)] : null);
  const name = (who) => (typeof who === 'string' ? who : who?.name || '');
  const claims = Array.isArray(history.claims) ? history.claims : [];
  const open = claims.filter((c) => !OVER.includes(c.state));
  const past = claims.filter((c) => OVER.includes(c.state));
  const where = (c) => {
    const step = c.step ? t(`sr.step.${c.step}`) : c.state;
    if (OVER.includes(c.state)) return c.outcome ? t(`sr.outcome.${c.outcome}`) : step;
    // under way: its step, then its outcome once known (returned, repaired), else its verdict
    if (c.outcome) return [step, ' · ', t(`sr.outcome.${c.outcome}`)];
    return c.verdict ? [step, ' · ', t(`sr.verdict.${c.verdict}`)] : step;
  };
  const item = (c) => h('li', { class: 'case-item' },
    links ? h('a', { href: trackingPath(c.claim_id) }, c.claim_id) : h('span', { class: 'mono' }, c.claim_id),
    ' · ', t(`sr.type.${c.claim_type}`),
    h('p', { class: 'hint' }, formatDate(c.created_at), ' · ', where(c)));
  return h('section', { class: 'unit-history', id: `unit-${index}-history` },
    h('h3', null, t('sr.history_title')),
    h('dl', { class: 'specs' },
      row(t('sr.history_activated'), formatDate(history.activated_at)),
      customer ? row(t('sr.history_customer'), name(history.customer)) : null,
      row(t('sr.history_installer'), name(history.installer)),
      row(t('sr.history_store'), history.installer?.store || name(history.store))),
    open.length ? [h('h3', null, t(links ? 'sr.my_requests' : 'sr.open_requests')), h('ul', { class: 'plain' }, open.map(item))] : null,
    past.length ? [open.length ? h('h3', null, t('sr.past_requests')) : null, h('ul', { class: 'plain' }, past.map(item))] : null,
    claims.length ? null : h('p', { class: 'hint' }, t('sr.history_none')));
}
