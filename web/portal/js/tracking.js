// /r/<claim_id>?t=<token>: a service request, as its customer follows it (the link in every
// message; "my products" opens it without ``t``, the session proving the phone). The steps
// reached, the expected return, the verdict with its reasons, and what the customer may do now
// (the API's ``actions``): accept or decline a quote, confirm the unit is back, reopen, cancel
// before the work starts; then rate the service.
import { api } from '/shared/js/api.js';
import { announce, h, telHref } from '/shared/js/dom.js';
import { errorText, formatDate, language, t } from '/shared/js/i18n.js';
import { claimVerdict, money, REQUESTS, serviceTextsMissing } from './service_shared.js';
import { alertBox, field, loadFailed, lookupToken, settings, setTitle, skeleton } from './shell.js';

const NOTE_MAX = 1000;
const RATED_AFTER = ['returned', 'confirmed', 'closed'];
// moves that need a note (states.NOTE_REQUIRED): the customer says why
const WITH_NOTE = ['reopened', 'cancelled'];

export function tracking(ctx) {
  const claimId = ctx.params[0];
  const link = (ctx.query.get('t') || '').slice(0, 32);
  const state = {
    result: null,
    lang: language(),
    busy: '', // the action being sent
    alert: null,
    open: '', // the action whose note form is open (reopen, cancel)
    confirming: '', // the quote's answer asked to be confirmed (quote_accepted, quote_declined)
    rating: 0,
  };

  const path = (tail = '') => `${REQUESTS}/${encodeURIComponent(claimId)}${tail}${link ? `?t=${encodeURIComponent(link)}` : ''}`;
  const token = () => (link ? undefined : lookupToken() || undefined);

  async function load() {
    state.lang = language();
    const result = await api(path(), { token: token() });
    if (!ctx.alive()) return;
    state.result = result;
    ctx.redraw();
  }
  load();

  async function act(name, tail, body, done) {
    state.busy = name;
    state.alert = null;
    ctx.redraw();
    const result = await api(path(tail), { method: 'POST', body, token: token() });
    state.busy = '';
    if (!ctx.alive()) return;
    if (result.ok) {
      state.result = result;
      state.open = '';
      ctx.redraw({ keep: false, focus: '#tr-status' });
      announce(done);
      return;
    }
    state.alert = () => alertBox('', h('p', null, errorText(result.error)));
    ctx.redraw();
    document.getElementById('tr-alert')?.focus();
  }

  const move = (to, note = '') => act(to, '/moves', { to, note }, t(`tr.done.${to}`));

  // ------------------------------------------------------------ views

  function timeline(view) {
    const steps = Array.isArray(view.timeline) ? view.timeline : [];
    return h('section', { class: 'card', 'aria-labelledby': 'tr-timeline-title' },
      h('h2', { id: 'tr-timeline-title' }, t('tr.timeline')),
      h('ol', { class: 'timeline', id: 'tr-timeline' }, steps.map((s, i) => h('li', { class: i === steps.length - 1 ? 'now' : null },
        h('strong', null, t(`sr.step.${s.step}`)), h('span', { class: 'hint' }, ` ${formatDate(s.at)}`)))));
  }

  function status(view) {
    const back = RATED_AFTER.includes(view.state); // the unit is back: no date to wait for
    const rows = [
      [t('tr.type'), t(`sr.type.${view.claim_type}`)],
      [t('tr.product'), [view.model_name, view.serial].filter(Boolean).join(' · ')],
      [t('tr.created'), formatDate(view.created_at)],
      view.appointment ? [t('tr.appointment'), formatDate(view.appointment)] : null,
      view.expected_return && !back ? [t('tr.expected_return'), formatDate(view.expected_return)] : null,
      // the price agreed (or declined) stays in sight once the quote's card is gone
      view.quote_vnd && !view.actions.includes('quote_accepted') ? [t('tr.quote'), money(view.quote_vnd)] : null,
    ].filter(Boolean);
    return h('section', { class: 'card', 'aria-labelledby': 'tr-status' },
      h('p', { class: 'label' }, t('tr.now')),
      h('p', { class: 'big', id: 'tr-status', tabindex: '-1' }, t(`sr.step.${view.step}`)),
      view.expected_return && !back ? h('p', { id: 'tr-return' }, t('tr.return_on', { date: formatDate(view.expected_return) })) : null,
      h('dl', { class: 'specs' }, rows.map(([label, value]) => [h('dt', null, label), h('dd', null, value)])));
  }

  function button(name, label, onclick, quiet = false) {
    return h('button', {
      type: 'button', class: `btn block${quiet ? ' quiet' : ''}`, id: `tr-${name}`, disabled: Boolean(state.busy) || null, onclick,
    }, state.busy === name ? t('form.sending') : label);
  }

  function quote(view) {
    if (!view.actions.includes('quote_accepted')) return null;
    return h('section', { class: 'card', id: 'tr-quote', 'aria-labelledby': 'tr-quote-title' },
      h('h2', { id: 'tr-quote-title' }, t('tr.quote_title')),
      view.quote_vnd ? h('p', { class: 'big', id: 'tr-quote-amount' }, money(view.quote_vnd)) : null,
      h('p', null, t('tr.quote_intro')),
      state.confirming ? quoteConfirm(view) : h('div', { class: 'actions' },
        button('quote_accepted', t('tr.quote_accept'), () => ask('quote_accepted')),
        button('quote_declined', t('tr.quote_decline'), () => ask('quote_declined'), true)));
  }

  /** An answer to a quote is asked once more (a repair is paid for): the price, yes or back. */
  function ask(answer) {
    state.confirming = answer;
    ctx.redraw({ focus: '#tr-quote-confirm' });
  }

  function quoteConfirm(view) {
    const answer = state.confirming;
    const amount = view.quote_vnd ? money(view.quote_vnd) : '';
    return h('div', { class: 'confirm', role: 'group', 'aria-labelledby': 'tr-quote-confirm' },
      h('p', { id: 'tr-quote-confirm', tabindex: '-1' }, t(`tr.${answer}_sure`, { amount })),
      h('div', { class: 'actions' },
        button(`${answer}-yes`, t(`tr.${answer}_yes`), () => { state.confirming = ''; move(answer); }),
        button(`${answer}-back`, t('tr.quote_back'), () => { state.confirming = ''; ctx.redraw({ focus: `#tr-${answer}` }); }, true)));
  }

  function noteForm(to) {
    const area = h('textarea', { rows: 3, maxlength: NOTE_MAX, required: true });
    const onsubmit = (event) => {
      event.preventDefault();
      const note = area.value.trim();
      if (!note) {
        state.alert = () => alertBox('', h('p', null, t(`tr.${to}_why`)));
        ctx.redraw();
        document.getElementById(`tr-note-${to}`)?.focus();
        return;
      }
      move(to, note);
    };
    return h('form', { novalidate: true, onsubmit, 'aria-label': t(`tr.${to}`) },
      field({ id: `tr-note-${to}`, label: t(`tr.${to}_why`), control: area }),
      h('button', { type: 'submit', class: 'btn block', id: `tr-${to}-send`, disabled: Boolean(state.busy) || null },
        state.busy === to ? t('form.sending') : t(`tr.${to}`)));
  }

  function actions(view) {
    const can = (to) => view.actions.includes(to);
    const items = [];
    if (can('confirmed')) items.push(h('p', null, t('tr.confirm_intro')), button('confirmed', t('tr.confirm'), () => move('confirmed')));
    for (const to of WITH_NOTE) {
      if (!can(to)) continue;
      items.push(state.open === to ? noteForm(to) : button(`open-${to}`, t(`tr.${to}`), () => {
        state.open = to;
        ctx.redraw({ focus: `#tr-note-${to}` });
      }, true));
    }
    if (!items.length) return null;
    return h('section', { class: 'card', id: 'tr-actions', 'aria-labelledby': 'tr-actions-title' },
      h('h2', { id: 'tr-actions-title' }, t('tr.actions')), h('div', { class: 'actions' }, items));
  }

  function rating(view) {
    if (view.rating) {
      const given = typeof view.rating === 'object' ? view.rating.rating : view.rating;
      return h('section', { class: 'card', id: 'tr-rated' }, h('p', null, t('tr.rated', { n: given })));
    }
    if (!RATED_AFTER.includes(view.state)) return null;
    const stars = [1, 2, 3, 4, 5].map((n) => h('label', { class: 'star' },
      h('input', { type: 'radio', name: 'tr-rating', value: n, checked: state.rating === n || null, onchange: () => { state.rating = n; } }),
      h('span', null, t('tr.stars', { n }))));
    const note = h('textarea', { rows: 3, maxlength: NOTE_MAX });
    const onsubmit = (event) => {
      event.preventDefault();
      if (!state.rating) {
        state.alert = () => alertBox('', h('p', null, t('tr.rate_pick')));
        ctx.redraw();
        return;
      }
      act('rate', '/rating', { rating: state.rating, note: note.value.trim() }, t('tr.done.rated'));
    };
    return h('section', { class: 'card', 'aria-labelledby': 'tr-rate-title' },
      h('form', { novalidate: true, onsubmit, id: 'tr-rate' },
        h('fieldset', null, h('legend', { id: 'tr-rate-title' }, t('tr.rate_title')), h('div', { class: 'stars' }, stars)),
        field({ id: 'tr-rate-note', label: t('tr.rate_note'), optional: true, control: note }),
        h('button', { type: 'submit', class: 'btn block', id: 'tr-rate-send', disabled: Boolean(state.busy) || null },
          state.busy === 'rate' ? t('form.sending') : t('tr.rate_send'))));
  }

  function notFound() {
    const hotline = settings.brand.hotline;
    return [
      h('h1', { tabindex: '-1' }, t('tr.not_found_title')),
      alertBox('', h('p', null, t('tr.not_found')),
        hotline ? h('p', null, h('a', { href: telHref(hotline) }, t('contact.call', { hotline }))) : null),
    ];
  }

  return function draw() {
    const waiting = serviceTextsMissing(ctx, (retry) => loadFailed({ network: true, error: { code: 'network' } }, retry));
    if (waiting) return waiting;
    const result = state.result;
    setTitle(t('tr.title', { id: claimId }));
    if (!result) return [h('h1', { tabindex: '-1' }, t('tr.title', { id: claimId })), skeleton(t('state.loading'))];
    if (result.status === 404 || result.status === 400) return notFound();
    if (!result.ok) return loadFailed(result, () => { state.result = null; load(); ctx.redraw(); });
    if (state.lang !== language()) queueMicrotask(load); // the verdict's reasons in the new language
    const view = { ...result.data, actions: Array.isArray(result.data.actions) ? result.data.actions : [] };
    return [
      h('h1', { tabindex: '-1' }, t('tr.title', { id: view.claim_id })),
      status(view),
      h('div', { id: 'tr-alert', tabindex: '-1' }, state.alert ? state.alert() : null),
      quote(view),
      actions(view),
      rating(view),
      claimVerdict(view.verdict, { id: 'tr-verdict', next: false }),
      timeline(view),
    ];
  };
}
