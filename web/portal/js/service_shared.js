// What the service request pages share (js/service_request.js: ask for service; js/tracking.js:
// follow a request; "my products" lists a unit's requests): their own texts, the verdict with
// its reasons, a request's link, and the API's paths for requests.
import { h, icon } from '/shared/js/dom.js';
import { formatNumber, language, t } from '/shared/js/i18n.js';
import { ownTexts } from './shell.js';

/** The service texts (/i18n/service/<lang>.json): null once they are there (shell.js ``ownTexts``). */
export const serviceTextsMissing = ownTexts('service', 'sr.title');

// The customer's routes for service requests (docs/api.md, "Service requests").
export const REQUESTS = '/public/service-requests';

const VERDICT_KIND = { in_warranty: 'ok', out_of_warranty: 'bad', needs_inspection: 'info' };

/** The verdict (``{status, reasons: [{code, message}]}``) with its reasons in plain words; the
 * reasons' words are the API's, in the language the page asked in. */
export function claimVerdict(verdict, { headingLevel = 'h2', id = 'claim-verdict' } = {}) {
  if (!verdict) return null;
  const kind = VERDICT_KIND[verdict.status] || 'info';
  const reasons = (Array.isArray(verdict.reasons) ? verdict.reasons : []).map((r) => r.message || r.code).filter(Boolean);
  return h('section', { class: `verdict ${kind}`, id, 'aria-labelledby': `${id}-title` },
    icon(kind),
    h('div', null,
      h(headingLevel, { id: `${id}-title`, tabindex: '-1' }, t(`sr.verdict.${verdict.status}`)),
      reasons.length ? h('ul', { class: 'reasons', id: `${id}-reasons` }, reasons.map((text) => h('li', null, text))) : null,
      h('p', { class: 'detail' }, t(`sr.verdict.${verdict.status}_next`))));
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

/** The language a view was asked in: when the page's language changes, it is asked again. */
export const askedIn = () => language();
