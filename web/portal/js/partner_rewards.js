// The signed-in partner's balance and the history of the installations they activated, with
// each one's reward and state explained in plain words, a month's view with its total, and
// "more" to page (GET /partner/rewards). Drawn by partner.js for an approved partner. Each
// installation opens its unit's warranty history (GET /partner/units/{serial}/warranty-history):
// who bought it, the store, and every service request with its outcome.
//
// ``partnerRewards({ctx, token, onSessionEnded})`` → {view, expect(activation)}: ``expect``
// shows a unit just activated at the top ("reward being decided") and reads the list again
// until its entry arrives (the reward is decided from the units stream, a moment later).
import { api } from '/shared/js/api.js';
import { h } from '/shared/js/dom.js';
import { formatDate, formatNumber, language, t } from '/shared/js/i18n.js';
import { serviceTextsMissing, warrantyHistory } from './service_shared.js';
import { alertBox, loadFailed, loading } from './shell.js';

const PAGE = 10;
const MONTHS = 12; // the month filter's choices: this month and the eleven before
const STATE_KIND = {
  pending: 'warn', held: 'warn', approved: 'ok', in_payout: 'ok', paid: 'ok',
  rejected: 'bad', payment_failed: 'bad', not_eligible: 'bad',
};
const WAITS = [1000, 2000, 3000, 5000, 8000]; // reading again for a just-activated unit's entry

/** 50000 → "50.000 ₫" (vi) or "50,000 ₫" (en). */
export const vnd = (amount) => `${formatNumber(Number(amount) || 0)}\u00a0₫`;

/** ``YYYY-MM`` of this month and the ones before, in Vietnam's calendar. */
function recentMonths() {
  const now = new Date(Date.now() + 7 * 3600e3);
  const months = [];
  for (let i = 0; i < MONTHS; i += 1) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    months.push(d.toISOString().slice(0, 7));
  }
  return months;
}

function monthName(period) {
  const [year, month] = period.split('-').map(Number);
  return new Intl.DateTimeFormat({ vi: 'vi-VN', en: 'en-GB', fa: 'fa-IR-u-ca-persian' }[language()] || 'vi-VN', { month: 'long', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(year, month - 1, 1)));
}

/** Why an entry stands where it does, in plain words (the reason, the flags, a decision's note). */
function explanation(entry) {
  const lines = [];
  if (entry.kind === 'reversal') lines.push(t('reward.explain.reversal'));
  if (entry.state === 'not_eligible') lines.push(t(`reward.reason.${entry.reason || 'no_rule'}`));
  if (entry.state === 'held') {
    lines.push(t('reward.explain.held'));
    for (const flag of entry.flags || []) lines.push(`• ${t(`reward.flag.${flag}`)}`);
  } else if (entry.state in STATE_KIND && entry.state !== 'not_eligible') {
    lines.push(t(`reward.explain.${entry.state}`));
  }
  const last = (entry.history || []).at(-1);
  if ((entry.state === 'rejected' || entry.kind === 'reversal') && last?.note) lines.push(t('reward.note', { note: last.note }));
  return lines;
}

export function partnerRewards({ ctx, token, onSessionEnded }) {
  const months = recentMonths();
  const state = {
    month: '', // '' (everything) or YYYY-MM
    entries: null,
    cursor: null,
    balance: null,
    totals: null, // the month's, with a month chosen
    failure: null,
    more: false, // reading the next page
    awaiting: null, // a unit just activated, until its entry is listed
    histories: {}, // serial → a unit's warranty history: its answer, or {reading} / {failure}
    shown: new Set(), // the serials whose history is open
  };
  let reading = 0; // the newest read: an older answer arriving late is dropped
  let waitTimer = 0;
  ctx.onLeave(() => clearTimeout(waitTimer));

  async function read({ append = false } = {}) {
    const mine = ++reading;
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (state.month) query.set('period', state.month);
    if (append && state.cursor) query.set('cursor', state.cursor);
    state.failure = null;
    state.more = append;
    const result = await api(`/partner/rewards?${query}`, { token });
    if (!ctx.alive() || mine !== reading) return;
    state.more = false;
    if (result.status === 401) {
      onSessionEnded(result.error);
      return;
    }
    if (!result.ok) {
      state.failure = result;
      ctx.redraw();
      return;
    }
    const data = result.data || {};
    const entries = Array.isArray(data.entries) ? data.entries : [];
    state.entries = append ? [...(state.entries || []), ...entries] : entries;
    state.cursor = data.next_cursor || null;
    state.balance = Number(data.balance) || 0;
    state.totals = data.period || null;
    if (state.awaiting && state.entries.some((e) => e.serial === state.awaiting.serial)) state.awaiting = null;
    ctx.redraw(append ? { focus: `#entry-${entries[0]?.serial || ''}` } : undefined);
  }
  read();

  function chooseMonth(event) {
    state.month = event.target.value;
    state.entries = null;
    state.cursor = null;
    state.totals = null;
    ctx.redraw();
    read();
  }

  /** A unit just activated: shown at once, then its entry once the stream has decided it. */
  function expect(activation) {
    state.awaiting = { serial: activation.serial, model: activation.model?.code || '', at: activation.activated_at };
    clearTimeout(waitTimer);
    let tries = 0;
    const again = () => {
      if (!ctx.alive() || !state.awaiting) return;
      read();
      if (tries < WAITS.length) waitTimer = setTimeout(again, WAITS[tries++]);
    };
    again();
  }

  /** Opens (reading it the first time) or closes a unit's warranty history. */
  async function toggleHistory(serial) {
    if (state.shown.delete(serial)) {
      ctx.redraw({ focus: `#history-${serial}` });
      return;
    }
    state.shown.add(serial);
    const known = state.histories[serial];
    if (known && !known.failure) {
      ctx.redraw();
      return;
    }
    state.histories[serial] = { reading: true };
    ctx.redraw();
    const result = await api(`/partner/units/${encodeURIComponent(serial)}/warranty-history`, { token });
    if (!ctx.alive()) return;
    if (result.status === 401) {
      onSessionEnded(result.error);
      return;
    }
    state.histories[serial] = result.ok ? result.data : { failure: result };
    ctx.redraw();
  }

  function unitHistory(serial) {
    if (!state.shown.has(serial)) return null;
    const known = state.histories[serial] || { reading: true };
    const waiting = serviceTextsMissing(ctx, (retry) => loadFailed({ network: true, error: { code: 'network' } }, retry).slice(1));
    if (waiting) return waiting;
    if (known.reading) return loading();
    if (known.failure) return loadFailed(known.failure, () => { delete state.histories[serial]; state.shown.delete(serial); toggleHistory(serial); }).slice(1);
    return warrantyHistory(known, `entry-${serial}`, { links: false, customer: true });
  }

  // ------------------------------------------------------------ views

  function entryCard(entry) {
    const state_ = entry.state in STATE_KIND ? entry.state : 'pending';
    const id = `entry-${entry.serial}${entry.kind === 'reversal' ? '-reversal' : ''}`;
    const row = (label, value) => (value ? [h('dt', null, label), h('dd', null, value)] : null);
    return h('li', { class: 'card entry', id, tabindex: '-1', 'aria-labelledby': `${id}-title` },
      h('div', { class: 'entry-head' },
        h('h3', { id: `${id}-title`, class: 'mono' }, entry.serial),
        h('p', { class: 'amount' }, vnd(entry.amount))),
      h('p', null, h('span', { class: `badge ${STATE_KIND[state_]}` }, t(`reward.state.${state_}`))),
      h('dl', { class: 'specs' },
        row(t('reward.model'), entry.model_code),
        row(t('reward.customer'), entry.customer_name_masked),
        row(t('reward.day'), formatDate(entry.activation_day))),
      explanation(entry).map((line) => h('p', { class: 'hint' }, line)),
      entry.kind === 'reversal' ? null : [
        h('button', {
          type: 'button', class: 'btn quiet block', id: `history-${entry.serial}`,
          'aria-expanded': String(state.shown.has(entry.serial)), 'aria-controls': `unit-entry-${entry.serial}-history`,
          onclick: () => toggleHistory(entry.serial),
        }, state.shown.has(entry.serial) ? t('reward.history_hide') : t('reward.history_show')),
        unitHistory(entry.serial),
      ]);
  }

  function awaitingCard() {
    const a = state.awaiting;
    if (!a || state.entries?.some((e) => e.serial === a.serial)) return null;
    return h('li', { class: 'card entry', id: `entry-${a.serial}`, 'aria-labelledby': `entry-${a.serial}-title` },
      h('div', { class: 'entry-head' }, h('h3', { id: `entry-${a.serial}-title`, class: 'mono' }, a.serial)),
      h('p', null, h('span', { class: 'badge warn' }, t('reward.state.deciding'))),
      h('dl', { class: 'specs' },
        [h('dt', null, t('reward.model')), h('dd', null, a.model)],
        [h('dt', null, t('reward.day')), h('dd', null, formatDate(a.at))]),
      h('p', { class: 'hint' }, t('reward.explain.deciding')));
  }

  function monthSummary() {
    const totals = state.totals;
    if (!state.month || !totals) return null;
    const states = totals.states || {};
    const part = (name) => {
      const s = states[name];
      return s && s.count ? h('li', null, `${t(`reward.state.${name}`)}: ${formatNumber(s.count)} · ${vnd(s.amount)}`) : null;
    };
    return h('div', { class: 'month-total', id: 'month-total', role: 'status' },
      h('p', null, t('reward.month_total', { month: monthName(state.month), n: formatNumber(totals.entries || 0) }),
        ' ', h('strong', { id: 'month-earned' }, vnd(totals.earned))),
      h('ul', { class: 'steps' }, ['pending', 'held', 'approved', 'in_payout', 'paid', 'payment_failed', 'rejected'].map(part)));
  }

  function history() {
    if (state.failure && !state.entries) {
      return loadFailed(state.failure, () => { state.failure = null; read(); ctx.redraw(); }).slice(1);
    }
    if (!state.entries) return loading();
    const waiting = awaitingCard();
    if (!state.entries.length && !waiting) {
      return alertBox('info', h('p', { id: 'entries-empty' }, t(state.month ? 'reward.none_month' : 'reward.none')));
    }
    return [
      h('ul', { class: 'units', id: 'entries' }, waiting, state.entries.map(entryCard)),
      state.failure ? alertBox('', h('p', null, t('error.network'))) : null,
      state.cursor ? h('button', { type: 'button', class: 'btn quiet block', id: 'entries-more', disabled: state.more, onclick: () => read({ append: true }) },
        state.more ? t('state.loading') : t('reward.more')) : null,
    ];
  }

  function view() {
    const month = h('select', { id: 'month', name: 'month', onchange: chooseMonth },
      h('option', { value: '', selected: !state.month }, t('reward.month_all')),
      months.map((m) => h('option', { value: m, selected: m === state.month }, monthName(m))));
    return [
      h('section', { class: 'card', 'aria-labelledby': 'balance-title' },
        h('h2', { id: 'balance-title' }, t('reward.balance_title')),
        h('p', { class: 'big', id: 'balance' }, state.balance === null ? '…' : vnd(state.balance)),
        h('p', { class: 'hint' }, t('reward.balance_hint'))),
      h('section', { 'aria-labelledby': 'history-title', id: 'history' },
        h('h2', { id: 'history-title' }, t('reward.history_title')),
        h('div', { class: 'field' }, h('label', { for: 'month' }, t('reward.month')), month),
        monthSummary(),
        history()),
    ];
  }

  return { view, expect, reload: () => read() };
}
