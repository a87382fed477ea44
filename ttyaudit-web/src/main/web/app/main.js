// The single-page app: hash routes (#/sessions, #/sessions/ID?t=12.3, #/search?q=…, #/alerts, #/live/ID, #/audit,
// #/admin, #/account, #/login), the navigation bar, and who is logged in. Pages are modules with a render(ctx)
// function.
import {getJson, send, ApiError} from './api.js';
import {h, replace} from './dom.js';
import * as login from './pages/login.js';
import * as sessions from './pages/sessions.js';
import * as session from './pages/session.js';
import * as search from './pages/search.js';
import * as live from './pages/live.js';
import * as alerts from './pages/alerts.js';
import * as audit from './pages/audit.js';
import * as admin from './pages/admin.js';
import * as account from './pages/account.js';

const view = document.getElementById('view');
const nav = document.getElementById('nav');

/** The logged-in caller (GET /api/v1/me), or null. */
let me = null;
/** Cleanups of the page on screen (a player to dispose, a socket to close, a timer to stop). */
let cleanups = [];

/** Route table: first path segment -> page, with the roles that may open it (null: every logged-in user). */
const ROUTES = {
  sessions: {page: sessions, detail: session, roles: null},
  search: {page: search, roles: null},
  live: {detail: live, roles: null},
  alerts: {page: alerts, roles: null},
  audit: {page: audit, roles: ['admin', 'auditor']},
  admin: {page: admin, roles: ['admin']},
  account: {page: account, roles: null},
};

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/sessions';
  const [path, q] = raw.split('?', 2);
  const parts = path.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  return {parts, params: new URLSearchParams(q ?? '')};
}

function navigate(hash) {
  if (location.hash === hash) {
    render();
  } else {
    location.hash = hash;
  }
}

function renderNav() {
  if (!me) {
    replace(nav);
    return;
  }
  const link = (href, text) => h('a', {href, 'data-route': href.split('/')[1]}, text);
  const canAudit = me.role === 'admin' || me.role === 'auditor';
  replace(nav,
    h('ul', {class: 'nav-links'},
      h('li', {}, link('#/sessions', 'Sessions')),
      h('li', {}, link('#/search', 'Search')),
      h('li', {}, link('#/alerts', 'Alerts')),
      canAudit ? h('li', {}, link('#/audit', 'Audit log')) : null,
      me.role === 'admin' ? h('li', {}, link('#/admin', 'Admin')) : null),
    h('div', {class: 'nav-user'},
      h('a', {href: '#/account', 'data-route': 'account', title: 'your account'},
        h('span', {class: 'user-name'}, me.name), ' ', h('span', {class: 'role'}, me.role ?? '')),
      h('button', {type: 'button', class: 'link-button', onclick: logout}, 'Log out')));
}

function markCurrentNav(route) {
  for (const a of nav.querySelectorAll('a[data-route]')) {
    if (a.dataset.route === route) {
      a.setAttribute('aria-current', 'page');
    } else {
      a.removeAttribute('aria-current');
    }
  }
}

async function logout() {
  try {
    await send('POST', '/api/v1/logout');
  } catch (e) {
    // The session may already have ended; the cookie is gone either way.
  }
  me = null;
  renderNav();
  navigate('#/login');
}

/** A page for a denied, unknown or missing thing: the server does not tell these apart, nor does the UI. */
function denied(target, message) {
  replace(target,
    h('section', {class: 'denied'},
      h('h1', {tabindex: '-1'}, 'Not found or not allowed'),
      h('p', {}, message ?? 'There is nothing here, or your role may not see it.'),
      h('p', {}, h('a', {href: '#/sessions'}, 'Back to the sessions'))));
  target.querySelector('h1').focus();
}

/** What a page gets: where to draw, the route, the caller, and how to clean up when the route changes. */
function context(parts, params) {
  return {
    view, parts, params, me,
    navigate,
    setMe,
    denied: (message) => denied(view, message),
    onLeave: (fn) => cleanups.push(fn),
    /** Shows an API error: a login page for 401, the denied page for 403/404, else the message. */
    fail: (e) => {
      if (e instanceof ApiError && e.unauthenticated) {
        me = null;
        renderNav();
        showLogin();
      } else if (e instanceof ApiError && e.deniedOrMissing) {
        denied(view, e.message.startsWith('change your one-time password') ? e.message : undefined);
      } else {
        replace(view, h('section', {}, h('h1', {tabindex: '-1'}, 'Something went wrong'),
          h('p', {role: 'alert'}, e.message ?? String(e))));
      }
    },
  };
}

function showLogin() {
  const {parts, params} = parseHash();
  login.render(context(parts, params), async () => {
    me = await getJson('/api/v1/me');
    renderNav();
    const back = parts[0] && parts[0] !== 'login' ? location.hash : '#/sessions';
    navigate(back);
  });
}

async function render() {
  for (const fn of cleanups.splice(0)) {
    try {
      fn();
    } catch (e) {
      console.warn('cleanup failed', e);
    }
  }
  const {parts, params} = parseHash();
  if (!me) {
    try {
      me = await getJson('/api/v1/me');
    } catch (e) {
      if (!(e instanceof ApiError && e.unauthenticated)) {
        throw e;
      }
    }
    renderNav();
  }
  if (!me || parts[0] === 'login') {
    if (me && parts[0] === 'login') {
      navigate('#/sessions');
      return;
    }
    showLogin();
    return;
  }
  if (me.must_change_password && parts[0] !== 'account') {
    navigate('#/account');
    return;
  }
  const route = ROUTES[parts[0]];
  markCurrentNav(parts[0]);
  const ctx = context(parts, params);
  if (!route || (parts.length > 1 ? !route.detail : !route.page)) {
    denied(view);
    return;
  }
  if (route.roles && !route.roles.includes(me.role)) {
    denied(view);
    return;
  }
  document.title = `ttyaudit — ${parts[0]}`;
  const page = parts.length > 1 ? route.detail : route.page;
  try {
    await page.render(ctx);
  } catch (e) {
    ctx.fail(e);
  }
}

/** Lets a page replace the caller after a password change (the server ends every login session then). */
function setMe(value) {
  me = value;
  renderNav();
}

window.addEventListener('hashchange', () => render().catch((e) => console.error(e)));
render().catch((e) => replace(view, h('p', {role: 'alert'}, `The page could not be loaded: ${e.message}`)));
