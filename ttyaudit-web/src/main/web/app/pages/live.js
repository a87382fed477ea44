// Watching a session as it happens: asciinema-player's websocket driver on /api/v1/sessions/ID/live (asciicast v2
// frames: what is stored so far, then each chunk as the server commits it). The login cookie goes with the
// upgrade request; the server checks it and the page's origin.
import {getJson, sessionPath} from '../api.js';
import {h, replace, time} from '../dom.js';
import {library} from '../player.js';

export async function render(ctx) {
  const id = ctx.parts[1];
  const s = await getJson(sessionPath(id));
  const box = h('div', {class: 'player live', 'aria-label': 'live terminal'});
  const status = h('p', {class: 'live-status', role: 'status', id: 'live-status'},
    s.state === 'live' ? 'Connecting…' : 'This session has ended; it is replayed from the store.');
  replace(ctx.view,
    h('section', {class: 'session'},
      h('h1', {tabindex: '-1'}, 'Live: ', `${s.user}@${s.host}`),
      h('p', {class: 'summary'}, 'Started ', time(s.started_at), ' · ',
        h('a', {href: `#/sessions/${encodeURIComponent(s.id)}`}, 'recording and details')),
      status,
      box));
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const player = library().create({
    driver: 'websocket',
    url: `${scheme}//${location.host}${sessionPath(id)}/live`,
    bufferTime: 0,   // show each frame as it arrives: the point of a live view is the delay, not smoothness
  }, box, {fit: 'width', terminalFontSize: 'small', autoPlay: true});
  player.addEventListener('playing', () => { status.textContent = '● Live'; });
  player.addEventListener('ended', () => {
    status.textContent = 'The session has ended.';
  });
  ctx.onLeave(() => player.dispose());
}
