// /m/<serial>/<component>?t=<token>: a maintenance visit, as its customer opens it from the
// reminder (GET/POST /public/maintenance/{serial}/{component}). The product and the part due,
// the day, the price and what the technician will do; then the customer books a slot
// (tomorrow to three weeks ahead, morning or afternoon), puts the visit off (up to three
// months), or skips this one. A booked visit shows its slot.
import { api } from '/shared/js/api.js';
import { announce, h, telHref } from '/shared/js/dom.js';
import { errorText, formatDate, formatNumber, language, t } from '/shared/js/i18n.js';
import { alertBox, field, loadFailed, ownTexts, settings, setTitle, showFieldError, skeleton } from './shell.js';

/** The maintenance texts (/i18n/maintenance/<lang>.json): null once they are there. */
const textsMissing = ownTexts('maintenance', 'mt.title');
const NOTE_MAX = 300;
const CHOICES = ['book', 'postpone', 'decline'];


export function maintenance(ctx) {
  const [serial, component] = ctx.params;
  const token = (ctx.query.get('t') || '').slice(0, 32);
  const state = {
    result: null,
    lang: language(),
    choice: 'book', // the answer whose form is open
    busy: false,
    alert: null,
    confirmDecline: false,
  };
  const path = `/public/maintenance/${encodeURIComponent(serial)}/${encodeURIComponent(component)}?t=${encodeURIComponent(token)}`;

  async function load() {
    state.lang = language();
    const result = await api(path);
    if (!ctx.alive()) return;
    state.result = result;
    ctx.redraw();
  }
  load();

  async function send(body, done) {
    state.busy = true;
    state.alert = null;
    ctx.redraw();
    const result = await api(path, { method: 'POST', body });
    state.busy = false;
    if (!ctx.alive()) return;
    if (result.ok) {
      state.result = result;
      state.confirmDecline = false;
      ctx.redraw({ keep: false, focus: '#mt-status' });
      announce(done);
      return;
    }
    const fieldError = (result.error?.fields || [])[0];
    const control = fieldError && document.getElementById(`mt-${fieldError.field}`);
    if (control) {
      showFieldError(control, errorText(fieldError));
      control.focus();
      return;
    }
    state.alert = () => alertBox('', h('p', null, errorText(result.error)));
    ctx.redraw();
    document.getElementById('mt-alert')?.focus();
  }

  // ------------------------------------------------------------ views

  const componentName = (c) => (language() !== 'vi' && c.name_en ? c.name_en : c.name);
  const partName = (part) => t(`mt.part.${part}`);

  function visit(view) {
    const c = view.component;
    const rows = [
      [t('mt.product'), [view.model.name, view.serial].filter(Boolean).join(' · ')],
      [t('mt.component'), componentName(c)],
      [t('mt.due'), formatDate(view.due)],
      [t('mt.price'), c.price_vnd ? `${formatNumber(c.price_vnd)}\u00a0₫` : t('mt.free')],
    ];
    return h('section', { class: 'card', 'aria-labelledby': 'mt-status' },
      h('p', { class: 'label' }, t('mt.now')),
      h('p', { class: 'big', id: 'mt-status', tabindex: '-1' }, t(`mt.stage.${view.stage}`)),
      view.booking
        ? h('p', { id: 'mt-booking' }, t('mt.booked_for', { day: formatDate(view.booking.day), part: partName(view.booking.part) }))
        : null,
      h('dl', { class: 'specs' }, rows.map(([label, value]) => [h('dt', null, label), h('dd', null, value)])));
  }

  function checklist(view) {
    const items = view.component.checklist;
    if (!items.length) return null;
    return h('section', { class: 'card', 'aria-labelledby': 'mt-checklist-title' },
      h('h2', { id: 'mt-checklist-title' }, t('mt.checklist')),
      h('ul', { id: 'mt-checklist' }, items.map((item) => h('li', null, item))));
  }

  function bookForm(view) {
    const day = h('input', { type: 'date', min: view.book_from, max: view.book_until, required: true });
    const part = h('select', null, ['morning', 'afternoon'].map((p) => h('option', { value: p }, partName(p))));
    const note = h('textarea', { rows: 2, maxlength: NOTE_MAX });
    const onsubmit = (event) => {
      event.preventDefault();
      if (!day.value) {
        showFieldError(day, t('mt.day_required'));
        day.focus();
        return;
      }
      send({ action: 'book', day: day.value, part: part.value, note: note.value.trim() }, t('mt.done.book'));
    };
    return h('form', { novalidate: true, onsubmit, 'aria-labelledby': 'mt-choice-book-label' },
      field({ id: 'mt-day', label: t('mt.day'), hint: t('mt.day_hint', { from: formatDate(view.book_from), until: formatDate(view.book_until) }), control: day }),
      field({ id: 'mt-part', label: t('mt.part_label'), control: part }),
      field({ id: 'mt-note', label: t('mt.note'), hint: t('mt.note_hint'), optional: true, control: note }),
      h('button', { type: 'submit', class: 'btn block', id: 'mt-book-send', disabled: state.busy || null },
        state.busy ? t('form.sending') : t('mt.book_send')));
  }

  function postponeForm(view) {
    const until = h('input', { type: 'date', min: view.book_from, max: view.postpone_until, required: true });
    const onsubmit = (event) => {
      event.preventDefault();
      if (!until.value) {
        showFieldError(until, t('mt.until_required'));
        until.focus();
        return;
      }
      send({ action: 'postpone', until: until.value }, t('mt.done.postpone'));
    };
    return h('form', { novalidate: true, onsubmit, 'aria-labelledby': 'mt-choice-postpone-label' },
      field({ id: 'mt-until', label: t('mt.until'), hint: t('mt.until_hint', { until: formatDate(view.postpone_until) }), control: until }),
      h('button', { type: 'submit', class: 'btn block', id: 'mt-postpone-send', disabled: state.busy || null },
        state.busy ? t('form.sending') : t('mt.postpone_send')));
  }

  function declineForm() {
    if (!state.confirmDecline) {
      return h('button', { type: 'button', class: 'btn quiet block', id: 'mt-decline', onclick: () => { state.confirmDecline = true; ctx.redraw({ focus: '#mt-decline-sure' }); } },
        t('mt.decline'));
    }
    return h('div', { role: 'group', 'aria-labelledby': 'mt-decline-sure' },
      h('p', { id: 'mt-decline-sure', tabindex: '-1' }, t('mt.decline_sure')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn block', id: 'mt-decline-yes', disabled: state.busy || null, onclick: () => send({ action: 'decline' }, t('mt.done.decline')) },
          state.busy ? t('form.sending') : t('mt.decline_yes')),
        h('button', { type: 'button', class: 'btn quiet block', id: 'mt-decline-back', onclick: () => { state.confirmDecline = false; ctx.redraw({ focus: '#mt-decline' }); } },
          t('mt.back'))));
  }

  function answers(view) {
    if (view.stage === 'booked') {
      const hotline = settings.brand.hotline;
      return alertBox('ok', h('p', null, t('mt.booked_next')),
        hotline ? h('p', null, h('a', { href: telHref(hotline) }, t('contact.call', { hotline }))) : null);
    }
    const choices = h('fieldset', null,
      h('legend', { id: 'mt-answer-title' }, h('h2', null, t('mt.answer_title'))),
      CHOICES.map((choice) => h('div', { class: 'check' },
        h('input', {
          type: 'radio', name: 'mt-choice', id: `mt-choice-${choice}`, value: choice, checked: state.choice === choice || null,
          onchange: () => { state.choice = choice; state.confirmDecline = false; ctx.redraw({ focus: `#mt-choice-${choice}` }); },
        }),
        h('label', { for: `mt-choice-${choice}`, id: `mt-choice-${choice}-label` }, t(`mt.choice.${choice}`)))));
    const form = { book: bookForm, postpone: postponeForm, decline: declineForm }[state.choice](view);
    return h('section', { class: 'card' }, choices, h('div', { class: 'answer' }, form));
  }

  function notFound() {
    const hotline = settings.brand.hotline;
    return [
      h('h1', { tabindex: '-1' }, t('mt.not_found_title')),
      alertBox('', h('p', null, t('mt.not_found')),
        hotline ? h('p', null, h('a', { href: telHref(hotline) }, t('contact.call', { hotline }))) : null),
    ];
  }

  return function draw() {
    const waiting = textsMissing(ctx, (retry) => loadFailed({ network: true, error: { code: 'network' } }, retry));
    if (waiting) return waiting;
    setTitle(t('mt.title'));
    const result = state.result;
    if (!result) return [h('h1', { tabindex: '-1' }, t('mt.title')), skeleton(t('state.loading'))];
    if (result.status === 404 || result.status === 400) return notFound();
    if (!result.ok) return loadFailed(result, () => { state.result = null; load(); ctx.redraw(); });
    if (state.lang !== language()) queueMicrotask(load); // the product's name in the new language
    const view = result.data;
    return [
      h('h1', { tabindex: '-1' }, t('mt.title')),
      visit(view),
      h('div', { id: 'mt-alert', tabindex: '-1' }, state.alert ? state.alert() : null),
      answers(view),
      checklist(view),
    ];
  };
}
