// One recorded session: playback (asciinema-player fed by the asciicast v2 export) with its timeline of commands
// and alerts (both also markers on the player) and the exec, file and sudo events of its Linux audit log
// attachments (ttyaudit ingest-audit), then its details: metadata, attachments, processes and resources,
// integrity, downloads. #/sessions/ID?t=SECONDS opens it at that moment of the session. Every read here is recorded
// by the server in the audit log.
import {getJson, getText, sessionPath} from '../api.js';
import {h, replace, time, clock, duration, table, notice, severityBadge} from '../dom.js';
import {parseCast, timeMapping, library} from '../player.js';

const SPEEDS = [0.5, 1, 1.5, 2, 4, 8];
const IDLE_LIMITS = [['none', null], ['1 s', 1], ['2 s', 2], ['5 s', 5]];

export async function render(ctx) {
  const id = ctx.parts[1];
  const base = sessionPath(id);
  // The metadata first: a session one may not see is a 404, shown as the denied page before anything else.
  const s = await getJson(base);
  if (s.pruned) {
    renderPruned(ctx, s, base);
    return;
  }
  const [commands, alerts, attached, castText] = await Promise.all([
    getJson(`${base}/commands`),
    getJson(`${base}/alerts`),
    getJson(`${base}/attachments`),
    getText(`${base}/export?format=asciicast-v2`, 'application/x-asciicast'),
  ]);
  const auditEvents = attached.events;
  const cast = parseCast(castText);
  const startAt = Number.parseFloat(ctx.params.get('t') ?? '');

  const playerBox = h('div', {class: 'player', 'aria-label': 'terminal playback'});
  const position = h('output', {class: 'position', 'aria-live': 'off', id: 'session-time'}, '0:00.0');
  const speed = h('select', {name: 'speed'}, SPEEDS.map((x) => h('option', {value: x, selected: x === 1}, `${x}×`)));
  const idle = h('select', {name: 'idle'}, IDLE_LIMITS.map(([label, v]) => h('option', {value: v ?? ''}, label)));
  const timeline = h('ol', {class: 'timeline',
    'aria-label': 'commands and alerts in session order; activate one to play from there'});

  // A command's label starts with "$ ", so that no typed command can pass for an alert's "⚠ rule".
  const markers = [
    ...commands.map((c) => ({at: c.start_offset_us / 1e6, label: `$ ${c.command}`, alert: false})),
    ...alerts.map((a) => ({at: a.offset_us / 1e6, label: `⚠ ${a.rule}`, alert: true})),
  ].sort((x, y) => x.at - y.at);
  const playback = new Playback(playerBox, castText, cast, markers, position, timeline);
  ctx.onLeave(() => playback.dispose());
  speed.addEventListener('change', () => playback.setOptions({speed: Number(speed.value)}));
  idle.addEventListener('change', () => playback.setOptions({idle: idle.value === '' ? null : Number(idle.value)}));

  // Commands, alerts and audit-log events merged by time; an alert raised by a command comes right after it, and
  // the programs a command ran (from the audit log) after that.
  const entries = [
    ...commands.map((c) => ({at: c.start_offset_us / 1e6, order: 0, node: commandEntry(c, playback)})),
    ...alerts.map((a) => ({at: a.offset_us / 1e6, order: 1, node: alertEntry(a, playback)})),
    ...auditEvents.map((e) => ({at: e.offset_us / 1e6, order: 2, node: auditEntry(e, playback)})),
  ].sort((x, y) => x.at - y.at || x.order - y.order);
  const itemClass = ['', 'alert-item', 'audit-item'];
  timeline.append(...entries.map((e) => h('li', {class: itemClass[e.order] || null}, e.node)));
  const counts = [`Commands (${commands.length})`];
  if (alerts.length > 0) {
    counts.push(`alerts (${alerts.length})`);
  }
  if (auditEvents.length > 0) {
    counts.push(`audit-log events (${auditEvents.length})`);
  }
  const heading = counts.length === 1 ? counts[0]
    : `${counts.slice(0, -1).join(', ')} and ${counts[counts.length - 1]}`;
  const showAudit = h('input', {type: 'checkbox', name: 'show-audit', checked: true,
    onchange: () => timeline.classList.toggle('hide-audit', !showAudit.checked)});

  replace(ctx.view,
    h('section', {class: 'session'},
      h('h1', {tabindex: '-1'}, `${s.user}@${s.host}`, h('span', {class: 'session-id'}, `session ${s.id}`)),
      attachedToLine(s),
      h('p', {class: 'summary'}, 'Started ', time(s.started_at), ` · ${duration(s)} · `,
        s.state === 'live' ? h('a', {href: `#/live/${encodeURIComponent(s.id)}`, class: 'live-badge'},
          '● live — watch it live')
          : s.state === 'incomplete' ? 'incomplete: no end arrived and the recorder went silent'
            : `exit status ${s.exit_status ?? '—'}`),
      h('div', {class: 'playback'},
        h('div', {class: 'player-column'},
          playerBox,
          h('div', {class: 'player-controls'},
            h('label', {}, 'Speed ', speed), h('label', {}, 'Idle-time limit ', idle),
            h('span', {}, 'Session time ', position))),
        h('div', {class: 'timeline-column'},
          h('h2', {}, heading,
            alerts.length > 0 ? h('span', {class: 'has-alerts alerts-summary'}, ` ⚠ ${alerts.length}`) : null),
          auditEvents.length > 0 ? h('label', {class: 'show-audit'}, showAudit,
            ' Show the programs run and files changed that the Linux audit log reports') : null,
          entries.length === 0 ? h('p', {class: 'muted'}, 'No commands were recorded.') : timeline)),
      h('section', {class: 'details', 'aria-labelledby': 'details-heading'},
        h('h2', {id: 'details-heading'}, 'Details'),
        downloads(base),
        h('div', {class: 'detail-grid'},
          h('div', {}, h('h3', {}, 'Metadata'), metadata(s)),
          h('div', {}, h('h3', {}, 'Integrity'), later(integrity(base)))),
        attached.attachments.length > 0 ? attachmentList(attached.attachments) : null,
        h('h3', {}, 'Processes and resources'),
        later(activity(base)))));

  playback.create({startAt: Number.isFinite(startAt) ? startAt : null, autoPlay: Number.isFinite(startAt)});
}

/**
 * A session whose content retention pruned: no player (there is nothing to play), but when and by which policy,
 * and what is left: its metadata, and its integrity (the chain of chunk hashes, its ledger leaves and tombstone).
 */
function renderPruned(ctx, s, base) {
  replace(ctx.view,
    h('section', {class: 'session'},
      h('h1', {tabindex: '-1'}, `${s.user}@${s.host}`, h('span', {class: 'session-id'}, `session ${s.id}`)),
      h('p', {class: 'summary'}, 'Started ', time(s.started_at), ` · ${duration(s)} · exit status `,
        `${s.exit_status ?? '—'}`),
      h('div', {class: 'notice info pruned', id: 'pruned', role: 'status'},
        'Content pruned on ', time(s.pruned.at), ' by retention policy ', h('strong', {}, s.pruned.policy),
        `: the recording, its commands and its output were deleted (${s.pruned.bytes_freed} bytes). Its metadata,`
        + ` chunk hashes and ledger leaves remain, with a tombstone at ledger leaf ${s.pruned.tombstone_leaf},`
        + ' so it still verifies.'),
      h('section', {class: 'details', 'aria-labelledby': 'details-heading'},
        h('h2', {id: 'details-heading'}, 'Details'),
        h('div', {class: 'detail-grid'},
          h('div', {}, h('h3', {}, 'Metadata'), metadata(s)),
          h('div', {}, h('h3', {}, 'Integrity'), later(integrity(base)))))));
}

function commandEntry(c, playback) {
  return h('button', {type: 'button', class: 'command', dataset: {offset: c.start_offset_us / 1e6},
    onclick: () => playback.seekSession(c.start_offset_us / 1e6, true)},
  h('span', {class: 'command-time'}, clock(c.start_offset_us / 1e6)),
  h('code', {class: 'command-line'}, c.command),
  h('span', {class: 'command-meta'},
    c.cwd ? h('span', {class: 'cwd'}, c.cwd) : null,
    h('span', {class: c.exit_code === 0 ? 'exit ok' : 'exit bad', title: 'exit code'},
      c.exit_code === null || c.exit_code === undefined ? 'running' : `exit ${c.exit_code}`)));
}

/** An alert in the timeline: not a command (its own look and words), and it seeks like one. */
function alertEntry(a, playback) {
  const at = a.offset_us / 1e6;
  return h('button', {type: 'button', class: `alert-entry severity-row-${a.severity}`,
    dataset: {offset: at, rule: a.rule, alertId: a.id},
    'aria-label': `alert ${a.rule}, ${a.severity}, at ${clock(at)}: ${a.description}`,
    onclick: () => playback.seekSession(at, true)},
  h('span', {class: 'command-time'}, clock(at)),
  h('span', {class: 'alert-title'}, h('span', {class: 'alert-sign', 'aria-hidden': 'true'}, '⚠ '),
    h('strong', {}, a.rule), ' ', severityBadge(a.severity)),
  h('span', {class: 'command-meta'},
    h('span', {}, a.description),
    a.matched ? h('code', {class: 'matched'}, a.matched) : null));
}

/** On an attachment's own page: which recorded session its audit-log events belong to. */
function attachedToLine(s) {
  const to = s.tags?.attached_to;
  if (!to) {
    return null;
  }
  return h('p', {class: 'notice info attached-to', id: 'attached-to'},
    'Linux audit log events (audit session ', s.tags.audit_session ?? '?', ') attached to session ',
    h('a', {href: `#/sessions/${encodeURIComponent(to)}`}, to),
    '; they are shown in its timeline.');
}

/** The attachments whose events the timeline shows, each a link to its own record. */
function attachmentList(attachments) {
  return h('div', {id: 'attachments'},
    h('h3', {}, `Attached Linux audit logs (${attachments.length})`),
    h('ul', {class: 'attachments'}, attachments.map((a) => h('li', {class: 'attachment', dataset: {attachmentId: a.id}},
      h('a', {href: `#/sessions/${encodeURIComponent(a.id)}`}, `attachment ${a.id}`),
      `: audit session ${a.audit_session ?? '?'}, ${a.events} events`,
      a.imported_at ? [', ingested ', time(a.imported_at)] : null,
      a.imported_by ? ` by ${a.imported_by}` : null,
      a.import_source ? [' from ', h('code', {}, a.import_source)] : null,
      a.pruned ? ' (content pruned)' : null))));
}

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** argv as one line a POSIX shell would split back into the same words. */
function shellLine(argv) {
  return (argv ?? []).map((a) => (SHELL_SAFE.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}

/** A uid as the audit log gives it; 4294967295 is the kernel's "not set". */
function auditId(v) {
  return v === 4294967295 ? 'unset' : String(v);
}

/**
 * An event of the session's Linux audit log attachment in the timeline: a program run (with who ran it and how
 * the execve ended, where the log says), a file changed, or a sudo command. Marked as the audit log's, and it seeks
 * like a command.
 */
function auditEntry(e, playback) {
  const at = e.offset_us / 1e6;
  const d = e.detail ?? {};
  let what;
  let line;
  const meta = [];
  if (e.kind === 'exec') {
    what = 'exec';
    line = shellLine(d.argv);
    meta.push(d.cwd ? h('span', {class: 'cwd'}, d.cwd) : null, h('span', {class: 'pid'}, `pid ${d.pid}`));
    if (d.uid !== null && d.uid !== undefined) {
      meta.push(h('span', {class: 'uid'}, `uid ${auditId(d.uid)}`));
    }
    if (d.auid !== null && d.auid !== undefined) {
      meta.push(h('span', {class: 'auid'}, `auid ${auditId(d.auid)}`));
    }
    if (d.success !== null && d.success !== undefined) {
      const exit = d.exit === null || d.exit === undefined ? '' : ` (exit ${d.exit})`;
      meta.push(h('span', {class: d.success ? 'result exit ok' : 'result exit bad', title: 'result of the execve'},
        d.success ? `succeeded${exit}` : `failed${exit}`));
    }
  } else if (e.kind === 'file') {
    what = `file ${d.operation}`;
    line = d.target_path ? `${d.path} → ${d.target_path}` : d.path;
  } else {
    what = d.name === 'sudo-command' ? 'sudo' : d.name;
    line = d.detail;
  }
  return h('button', {type: 'button', class: 'audit-entry', title: 'from the Linux audit log',
    dataset: {offset: at, kind: e.kind, attachmentId: e.attachment_id},
    onclick: () => playback.seekSession(at, true)},
  h('span', {class: 'command-time'}, clock(at)),
  h('span', {class: 'audit-title'}, h('span', {class: 'audit-source'}, 'audit log'), ' ',
    h('span', {class: 'audit-kind'}, what)),
  h('code', {class: 'audit-line'}, line ?? ''),
  h('span', {class: 'command-meta'}, meta));
}

/**
 * The player on the page. Speed and idle-time limit are fixed when asciinema-player is made, so changing them
 * makes a new player at the same session time.
 */
class Playback {
  /** markers: {at: session seconds, label, alert: whether an alert's} of the commands and alerts, in time order. */
  constructor(box, castText, cast, markers, position, timeline) {
    Object.assign(this, {box, castText, cast, markers, position, timeline});
    this.options = {speed: 1, idle: null};
    this.mapping = timeMapping(cast.times, null);
    this.timer = setInterval(() => this.tick(), 200);
  }

  create({startAt, autoPlay}) {
    this.mapping = timeMapping(this.cast.times, this.options.idle);
    const markers = this.markers.map((m) => [this.mapping.toPlayer(m.at), m.label]);
    this.player?.dispose();
    this.box.replaceChildren();
    this.player = library().create({data: this.castText}, this.box, {
      speed: this.options.speed,
      idleTimeLimit: this.options.idle ?? undefined,
      markers,
      controls: true,   // always shown: the seek bar carries the command and alert markers
      fit: 'width',
      terminalFontSize: 'small',
      autoPlay: Boolean(autoPlay),
      preload: true,
    });
    this.playing = Boolean(autoPlay);
    this.watchMarkers();
    this.player.addEventListener('play', () => { this.playing = true; });
    this.player.addEventListener('playing', () => { this.playing = true; });
    this.player.addEventListener('pause', () => { this.playing = false; });
    this.player.addEventListener('ended', () => { this.playing = false; });
    if (startAt !== null && startAt !== undefined) {
      this.seekSession(startAt, autoPlay);
    }
  }

  /**
   * Gives the player's alert markers the class alert-marker, so app.css draws them unlike the command markers.
   * The player draws its markers itself, in the order given, once it knows the duration, and has no per-marker
   * option, hence an observer of the player's elements; the n-th marker drawn is the n-th of this.markers.
   */
  watchMarkers() {
    this.markerObserver?.disconnect();
    const mark = () => {
      this.box.querySelectorAll('.ap-marker-container').forEach((m, i) => {
        if (this.markers[i]?.alert && !m.classList.contains('alert-marker')) {
          m.classList.add('alert-marker');
        }
      });
    };
    this.markerObserver = new MutationObserver(mark);
    this.markerObserver.observe(this.box, {childList: true, subtree: true});
    mark();
  }

  setOptions(change) {
    const at = this.sessionTime();
    const wasPlaying = this.playing;
    Object.assign(this.options, change);
    this.create({startAt: at, autoPlay: wasPlaying});
  }

  sessionTime() {
    return this.mapping.toSession(this.player?.getCurrentTime() ?? 0);
  }

  async seekSession(seconds, play) {
    await this.player.seek(this.mapping.toPlayer(seconds));
    if (play) {
      await this.player.play();
    }
    this.tick();
  }

  tick() {
    if (!this.player) {
      return;
    }
    const t = this.sessionTime();
    this.position.textContent = `${clock(t)}.${Math.floor((t % 1) * 10)}`;
    this.position.dataset.seconds = t.toFixed(3);
    let current = null;
    for (const b of this.timeline.querySelectorAll('button.command')) {
      if (Number(b.dataset.offset) <= t + 0.05) {
        current = b;
      }
      b.removeAttribute('aria-current');
    }
    current?.setAttribute('aria-current', 'step');
  }

  dispose() {
    clearInterval(this.timer);
    this.markerObserver?.disconnect();
    this.player?.dispose();
    this.player = null;
  }
}

function downloads(base) {
  const link = (href, text, name) => h('a', {href, download: name, class: 'button-link'}, text);
  return h('p', {class: 'downloads'}, 'Download: ',
    link(`${base}/export?format=asciicast-v2`, 'asciicast v2', ''), ' ',
    link(`${base}/export?format=asciicast-v3`, 'asciicast v3', ''), ' ',
    link(`${base}/record`, 'record file (verifiable with ttyaudit verify)', ''));
}

/**
 * Which enrolled host credential sent the session. A recorder reports its host itself; the credential it cannot
 * choose, so a recorder session whose reported host is not its credential's name is marked (a renamed machine,
 * or a host that claims to be another).
 */
function uploadedBy(s) {
  if (!s.uploaded_by) return null;
  const text = `host credential ${s.uploaded_by}`;
  if (s.kind === 'recorder' && s.uploaded_by !== s.host) {
    return h('span', {class: 'host-mismatch'}, `${text} — not the host its recorder reported (${s.host})`);
  }
  return text;
}

function metadata(s) {
  const row = (k, v) => [h('dt', {}, k), h('dd', {}, v ?? '—')];
  return h('dl', {class: 'meta'},
    row('Session id', h('code', {}, s.id)),
    row('User', `${s.user} (uid ${s.uid})`),
    row('Host', s.host),
    row('Uploaded by', uploadedBy(s)),
    row('Client address', s.client_address),
    row('Terminal', `${s.tty ?? '—'} · ${s.term ?? '—'} · ${s.cols}×${s.rows}`),
    row('Command', s.command?.length ? h('code', {}, s.command.join(' ')) : null),
    row('Capture', s.capture),
    row('Recorder', s.recorder_version),
    row('Kind', s.kind),
    row('Started', time(s.started_at)),
    row('Ended', s.ended_at ? time(s.ended_at) : (s.state === 'live' ? 'still live' : null)),
    row('Exit status', s.exit_status),
    row('End reason', s.end_reason),
    row('Terminated because', s.terminate_reason),
    row('Chunks · events · commands', `${s.chunks} · ${s.events} · ${s.commands}`),
    row('Alerts', s.alerts),
    row('Tags', Object.keys(s.tags ?? {}).length
      ? Object.entries(s.tags).map(([k, v]) => `${k}=${v}`).join(', ') : null),
    row('Header hash', h('code', {class: 'hash'}, s.header_hash)),
    row('Last hash', h('code', {class: 'hash'}, s.last_hash)));
}

/** A box that shows "loading" until the promise gives its content, or the error if it fails. */
function later(promise) {
  const box = h('div', {'aria-busy': 'true'}, h('p', {class: 'muted'}, 'Loading…'));
  promise.then((content) => replace(box, content), (e) => replace(box, notice(e.message)))
    .finally(() => box.removeAttribute('aria-busy'));
  return box;
}

async function integrity(base) {
  const r = await getJson(`${base}/integrity`);
  const yes = (ok, good, bad) => h('span', {class: ok ? 'ok' : 'bad'}, ok ? `✔ ${good}` : `✘ ${bad}`);
  return h('div', {class: 'integrity', id: 'integrity'},
    h('ul', {class: 'checks'},
      h('li', {}, yes(r.chain?.ok, `hash chain intact (${r.chain?.chunks ?? 0} chunks)`, 'hash chain broken')),
      h('li', {}, yes(r.complete, 'complete: the session has ended and its end record is stored',
        'not complete: no end record (yet)')),
      h('li', {}, yes(r.ledger?.ok,
        `${r.ledger?.leaves_checked ?? 0} records proven in the signed ledger (tree size ${r.ledger?.tree_size
          ?? '—'}, signed ${r.ledger?.signed_at ? new Date(r.ledger.signed_at).toLocaleString() : '—'})`,
        'not proven in the signed ledger')),
      r.ledger?.leaves_pending > 0 ? h('li', {class: 'muted'},
        `${r.ledger.leaves_pending} newer records wait for the next signed head`) : null),
    (r.problems ?? []).length > 0
      ? h('div', {}, h('h4', {}, `Problems (${r.problem_count ?? r.problems.length})`),
        h('ul', {class: 'problems'}, r.problems.map((p) => h('li', {}, String(p)))))
      : null);
}

async function activity(base) {
  const r = await getJson(`${base}/activity`);
  const processes = r.processes ?? [];
  // null means "not recorded" (the recorder does not see file access; only gateway sessions have a target),
  // never "none": the page says which.
  const notRecorded = (what) => h('p', {class: 'muted'}, `${what}: not recorded for this session.`);
  return h('div', {id: 'activity'},
    r.target ? targetLine(r.target) : null,
    processes.length === 0 ? h('p', {class: 'muted'}, 'No processes were recorded.')
      : table('processes run in the session', ['Time', 'PID', 'Parent', 'Program and arguments', 'Directory'],
        processes.map((p) => h('tr', {},
          h('td', {}, clock(p.offset_us / 1e6)),
          h('td', {class: 'num'}, p.pid ?? '—'),
          h('td', {class: 'num'}, p.ppid ?? '—'),
          h('td', {}, h('code', {}, (p.argv ?? []).join(' '))),
          h('td', {}, p.cwd ?? '—')))),
    r.files === null || r.files === undefined ? notRecorded('Files touched')
      : r.files.length === 0 ? h('p', {class: 'muted'}, 'No files were touched (no SFTP or SCP transfers).')
        : filesTable(r.files));
}

/** Where a gateway session went: the account and host it reached, its address, the gateway and the channel. */
function targetLine(t) {
  return h('p', {class: 'target'}, 'Relayed by the SSH gateway', t.gateway ? ` ${t.gateway}` : '', ' to ',
    h('strong', {}, `${t.user ?? '?'}@${t.host}`), t.address ? ` (${t.address})` : '',
    t.channel ? `, channel ${t.channel}` : '', '.');
}

const FILE_ICONS = {read: '⇣', write: '⇡', remove: '✕', rmdir: '✕', rename: '→', mkdir: '+', setstat: '⚙',
  symlink: '↪', link: '↪'};

/** The files the session's SFTP and SCP transfers touched, in order; the hash shortened, whole in its title. */
function filesTable(files) {
  return table('files touched in the session',
    ['Time', 'Operation', 'Path', 'Size', 'SHA-256', 'Source'],
    files.map((f) => h('tr', {class: 'file-event', dataset: {operation: f.operation}},
      h('td', {}, clock(f.offset_us / 1e6)),
      h('td', {}, h('span', {class: `file-op file-op-${f.operation}`},
        h('span', {'aria-hidden': 'true'}, `${FILE_ICONS[f.operation] ?? '•'} `), f.operation)),
      h('td', {}, h('code', {}, f.path), f.target_path ? [' → ', h('code', {}, f.target_path)] : null),
      h('td', {class: 'num'}, f.bytes === null || f.bytes === undefined ? '—' : size(f.bytes)),
      h('td', {}, f.sha256 ? h('code', {class: 'hash', title: f.sha256}, `${f.sha256.slice(0, 12)}…`) : '—'),
      h('td', {}, f.source))));
}

/** Bytes as people read them: 512 B, 1.5 KiB, 3.2 MiB. */
function size(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}
