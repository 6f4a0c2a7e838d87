// /n/<token>/<code>: "Not you? Tell us", the link in an activation's confirmation message. The
// person who received it says they did not activate this unit; the brand reviews it. A button,
// never the page load, sends the report: link previews and scanners open links too.
import { api } from '/shared/js/api.js';
import { announce, h, telHref } from '/shared/js/dom.js';
import { errorText, t } from '/shared/js/i18n.js';
import { alertBox, brandName, setBusy, settings, setTitle } from './shell.js';

export function not_me(ctx) {
  const [token, code] = ctx.params;
  const state = { done: null, alert: null, sending: false };

  async function send() {
    if (state.sending) return;
    const button = document.getElementById('not-me-submit');
    state.sending = true;
    state.alert = null;
    setBusy(button, true, t('not_me.submit'));
    const result = await api('/public/not-me', { method: 'POST', body: { token, code } });
    state.sending = false;
    if (!ctx.alive()) return;
    if (result.ok) {
      state.done = result.data;
      ctx.redraw({ keep: false, focus: 'h1' });
      announce(t('not_me.thanks_title'));
      return;
    }
    setBusy(button, false, t('not_me.submit'));
    state.alert = () => alertBox('', h('p', null, errorText(result.error)), hotline());
    ctx.redraw({ focus: '#not-me-alert' });
  }

  function hotline() {
    const number = state.done?.hotline || settings.brand.hotline;
    return number ? h('p', null, t('not_me.call'), ' ', h('a', { href: telHref(number), id: 'not-me-hotline' }, number)) : null;
  }

  return function draw() {
    if (state.done) {
      setTitle(t('not_me.thanks_title'));
      return [
        h('h1', { tabindex: '-1' }, t('not_me.thanks_title')),
        h('section', { class: 'card' },
          h('p', null, t('not_me.thanks', { brand: brandName() })),
          hotline()),
      ];
    }
    setTitle(t('not_me.title'));
    return [
      h('h1', { tabindex: '-1' }, t('not_me.title')),
      h('section', { class: 'card' },
        h('p', null, t('not_me.intro', { brand: brandName() })),
        h('p', { class: 'hint' }, t('not_me.what')),
        h('div', { id: 'not-me-alert', tabindex: '-1' }, state.alert ? state.alert() : null),
        h('button', { type: 'button', class: 'btn block', id: 'not-me-submit', onclick: send }, t('not_me.submit'))),
    ];
  };
}
