// Log in. A first login with a one-time password (an account an admin created or reset, or the bootstrap admin)
// must choose a new password before anything else: the server allows nothing but POST /api/v1/password then.
import {send} from '../api.js';
import {h, field, notice, replace} from '../dom.js';
import {passwordForm} from './password.js';

export function render(ctx, loggedIn) {
  document.title = 'ttyaudit — log in';
  const name = h('input', {type: 'text', name: 'name', autocomplete: 'username', required: true,
    autocapitalize: 'none', spellcheck: 'false'});
  const password = h('input', {type: 'password', name: 'password', autocomplete: 'current-password',
    required: true});
  const message = h('div', {'aria-live': 'polite'});
  const form = h('form', {class: 'stack', id: 'login-form'},
    field('Name', name), field('Password', password), message,
    h('button', {type: 'submit'}, 'Log in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    let answer;
    try {
      answer = await send('POST', '/api/v1/login', {name: name.value, password: password.value});
    } catch (e) {
      message.append(notice(e.message));
      password.select();
      return;
    }
    if (answer.account?.must_change_password) {
      firstPassword(ctx, name.value, password.value, loggedIn);
    } else {
      await loggedIn();
    }
  });
  replace(ctx.view,
    h('section', {class: 'narrow'},
      h('h1', {tabindex: '-1'}, 'Log in to ttyaudit'),
      form));
  name.focus();
}

function firstPassword(ctx, name, oneTimePassword, loggedIn) {
  const form = passwordForm({
    currentPassword: oneTimePassword,
    submitLabel: 'Set password and log in',
    changed: async (newPassword) => {
      // Changing the password ended the login session; log in again with the new one.
      await send('POST', '/api/v1/login', {name, password: newPassword});
      await loggedIn();
    },
  });
  form.id = 'first-password-form';
  replace(ctx.view,
    h('section', {class: 'narrow'},
      h('h1', {tabindex: '-1'}, 'Choose your password'),
      notice(`The password of ${name} was set by an administrator and works once: choose your own now.`,
        'info'),
      form));
  form.querySelector('input').focus();
}
