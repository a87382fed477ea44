// One's own SSH public keys, with which one logs in to the ttyaudit gateway: list, add, remove.
import {getJson, send} from '../api.js';
import {h, replace, table, time, field, notice} from '../dom.js';

/** The account page's "SSH keys" section (a heading, the list and a form to add one). */
export function sshKeySection() {
  const box = h('div', {id: 'my-ssh-keys'});
  const key = h('textarea', {name: 'public-key', rows: 3, required: true,
    placeholder: 'ssh-ed25519 AAAA… you@laptop (the contents of ~/.ssh/id_ed25519.pub)'});
  const message = h('div', {'aria-live': 'polite'});
  const keyField = field('Public key', key);
  keyField.classList.add('wide');
  const form = h('form', {class: 'inline-form', id: 'ssh-key-form'}, keyField,
    h('button', {type: 'submit'}, 'Add key'), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    try {
      await send('POST', '/api/v1/account/ssh-keys', {public_key: key.value.trim()});
      key.value = '';
      await drawKeys(box);
    } catch (e) {
      message.append(notice(e.message));
    }
  });
  return {
    nodes: [h('h2', {}, 'SSH keys'),
      h('p', {class: 'muted'}, 'For logging in to the SSH gateway. Paste a public key, never a private one.'),
      form, box],
    load: () => drawKeys(box),
  };
}

async function drawKeys(box) {
  const keys = await getJson('/api/v1/account/ssh-keys');
  if (keys.length === 0) {
    replace(box, h('p', {class: 'muted'}, 'No SSH keys.'));
    return;
  }
  replace(box, table('your SSH keys', ['Key', 'Added', ''], keys.map((k) => h('tr', {},
    h('td', {class: 'detail'}, `${k.type} ${k.comment}`.trim(), h('br'), k.fingerprint),
    h('td', {}, time(k.added_at)),
    h('td', {}, h('button', {type: 'button', class: 'small danger', 'aria-label': `remove key ${k.fingerprint}`,
      onclick: async (event) => {
        try {
          // URL-safe spelling: a '/' of the base64 fingerprint would split the path
          const id = k.fingerprint.replaceAll('+', '-').replaceAll('/', '_');
          await send('DELETE', `/api/v1/account/ssh-keys/${encodeURIComponent(id)}`);
          await drawKeys(box);
        } catch (e) {
          event.target.after(notice(e.message));
        }
      }}, 'Remove'))))));
}
