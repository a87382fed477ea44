// The change-password form, shared by the first login (one-time password) and the account page.
import {send} from '../api.js';
import {h, field, notice} from '../dom.js';

const MIN_LENGTH = 12;   // the server's rule (openapi.yaml: new_password minLength 12)

/**
 * A form asking for the new password twice (and the current one unless it is known already). Calls
 * changed(newPassword) after the server accepted it; the server then ends the caller's login sessions.
 */
export function passwordForm({currentPassword, submitLabel, changed}) {
  const current = currentPassword === undefined
    ? h('input', {type: 'password', name: 'current', autocomplete: 'current-password', required: true})
    : null;
  const next = h('input', {type: 'password', name: 'new', autocomplete: 'new-password', required: true,
    minlength: MIN_LENGTH});
  const repeat = h('input', {type: 'password', name: 'repeat', autocomplete: 'new-password', required: true,
    minlength: MIN_LENGTH});
  const message = h('div', {'aria-live': 'polite'});
  const form = h('form', {class: 'stack', novalidate: true},
    current ? field('Current password', current) : null,
    field(`New password (at least ${MIN_LENGTH} characters)`, next),
    field('New password again', repeat),
    message,
    h('button', {type: 'submit'}, submitLabel));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    if (next.value.length < MIN_LENGTH) {
      message.append(notice(`The new password must have at least ${MIN_LENGTH} characters.`));
      next.focus();
      return;
    }
    if (next.value !== repeat.value) {
      message.append(notice('The two new passwords differ.'));
      repeat.focus();
      return;
    }
    try {
      await send('POST', '/api/v1/password', {
        current_password: current ? current.value : currentPassword,
        new_password: next.value,
      });
    } catch (e) {
      message.append(notice(e.message));
      return;
    }
    await changed(next.value);
  });
  return form;
}
