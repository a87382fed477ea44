// API tokens: a list with revoke buttons, shared by one's own tokens (account page) and any user's (admin page).
import {send} from '../api.js';
import {h, table, time, notice} from '../dom.js';

/** tokens: the API's token objects; revokePath(id): the DELETE path; reload(): draws the list again. */
export function tokenTable(tokens, revokePath, reload, caption) {
  if (tokens.length === 0) {
    return h('p', {class: 'muted'}, 'No API tokens.');
  }
  return table(caption, ['Name', 'Created', 'Expires', 'State', ''], tokens.map((t) => h('tr', {},
    h('td', {}, t.name),
    h('td', {}, time(t.created_at)),
    h('td', {}, time(t.expires_at)),
    h('td', {}, t.revoked ? 'revoked' : 'active'),
    h('td', {}, t.revoked ? '' : h('button', {type: 'button', class: 'small danger',
      'aria-label': `revoke token ${t.name}`,
      onclick: async (event) => {
        try {
          await send('DELETE', revokePath(t.id));
          await reload();
        } catch (e) {
          event.target.after(notice(e.message));
        }
      }}, 'Revoke')))));
}

/** A secret shown once (a new token or enroll line), with a button that copies it. */
export function shownOnce(label, secret) {
  const code = h('code', {class: 'secret'}, secret);
  const copied = h('span', {role: 'status', class: 'muted'});
  return h('div', {class: 'shown-once'},
    h('p', {}, label, ' ', h('strong', {}, 'It is shown only now.')),
    h('pre', {}, code),
    h('button', {type: 'button', class: 'small', onclick: async () => {
      try {
        await navigator.clipboard.writeText(secret);
        copied.textContent = ' copied';
      } catch (e) {
        copied.textContent = ' select the text and copy it';
      }
    }}, 'Copy'), copied);
}
