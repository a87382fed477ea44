// One's own account: change the password (forced after a one-time password), manage one's API tokens and SSH keys.
import {getJson, send} from '../api.js';
import {h, replace, field, notice} from '../dom.js';
import {passwordForm} from './password.js';
import {tokenTable, shownOnce} from './tokens.js';
import {sshKeySection} from './sshkeys.js';

export async function render(ctx) {
  const me = ctx.me;
  const tokens = h('div', {id: 'my-tokens'});
  const sshKeys = sshKeySection();
  const form = passwordForm({
    submitLabel: 'Change password',
    changed: async (newPassword) => {
      // The server ended every login session of this account; start a new one with the new password.
      await send('POST', '/api/v1/login', {name: me.name, password: newPassword});
      ctx.setMe(await getJson('/api/v1/me'));
      ctx.navigate(me.must_change_password ? '#/sessions' : '#/account?changed=1');
    },
  });
  form.id = 'password-form';
  replace(ctx.view,
    h('section', {class: 'narrow-ish'},
      h('h1', {tabindex: '-1'}, 'Your account'),
      h('p', {}, `${me.name} · role ${me.role}`),
      me.must_change_password ? notice('Your password was set by an administrator: choose your own first.', 'info')
        : null,
      ctx.params.get('changed') ? notice('Your password was changed.', 'info') : null,
      h('h2', {}, 'Change password'),
      form,
      me.must_change_password ? null : [h('h2', {}, 'API tokens'),
        h('p', {class: 'muted'}, 'For scripts and the ttyaudit command (TTYAUDIT_TOKEN); they act with your role.'),
        newTokenForm(tokens), tokens, sshKeys.nodes]));
  if (!me.must_change_password) {
    await drawTokens(tokens);
    await sshKeys.load();
  }
}

async function drawTokens(box) {
  const list = await getJson('/api/v1/tokens');
  const shown = box.querySelector('.shown-once');
  replace(box, shown, tokenTable(list, (id) => `/api/v1/tokens/${encodeURIComponent(id)}`,
    () => drawTokens(box), 'your API tokens'));
}

function newTokenForm(box) {
  const name = h('input', {type: 'text', name: 'token-name', required: true});
  const days = h('input', {type: 'number', name: 'ttl-days', min: 1, max: 366, value: 90});
  const message = h('div', {'aria-live': 'polite'});
  const form = h('form', {class: 'inline-form'}, field('Token name', name), field('Valid for (days)', days),
    h('button', {type: 'submit'}, 'Create token'), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    try {
      const t = await send('POST', '/api/v1/tokens', {name: name.value.trim(), ttl_days: Number(days.value)});
      name.value = '';
      await drawTokens(box);
      box.prepend(shownOnce(`Token ${t.name}:`, t.token));
    } catch (e) {
      message.append(notice(e.message));
    }
  });
  return form;
}
