// Glue to asciinema-player (vendor/asciinema-player/asciinema-player.min.js, loaded by index.html as the global
// AsciinemaPlayer): a recording's asciicast v2 text parsed once, players made from it, and the mapping between
// session time (what commands and search hits are measured in) and player time (shorter when the idle-time limit
// cuts long pauses).

/** The parsed asciicast v2 text: its header and its event times in seconds. */
export function parseCast(text) {
  const lines = text.split('\n');
  const header = JSON.parse(lines[0]);
  if (header.version !== 2) {
    throw new Error(`not an asciicast v2 recording (version ${header.version})`);
  }
  const times = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].length > 0) {
      times.push(JSON.parse(lines[i])[0]);
    }
  }
  return {header, times, duration: times.length > 0 ? times[times.length - 1] : 0};
}

/**
 * Session time <-> player time under an idle-time limit, computed as asciinema-player's own time limiter does:
 * every gap between events longer than the limit is cut to the limit. limit: seconds, or null for none.
 */
export function timeMapping(times, limit) {
  if (limit === null || limit === undefined) {
    return {toPlayer: (t) => t, toSession: (p) => p};
  }
  const session = [0];
  const player = [0];
  let previous = 0;
  let shift = 0;
  for (const t of times) {
    const delay = t - previous;
    if (delay > limit) {
      shift += delay - limit;
    }
    previous = t;
    session.push(t);
    player.push(t - shift);
  }
  const last = (arr, x) => {
    let lo = 0;
    let hi = arr.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (arr[mid] <= x) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  };
  return {
    toPlayer: (t) => {
      const k = last(session, t);
      return player[k] + Math.min(t - session[k], limit);
    },
    toSession: (p) => {
      const k = last(player, p);
      return session[k] + (p - player[k]);
    },
  };
}

/** The player library, or an error that says what is missing. */
export function library() {
  const lib = window.AsciinemaPlayer;
  if (!lib) {
    throw new Error('asciinema-player is not loaded (vendor/asciinema-player/asciinema-player.min.js)');
  }
  return lib;
}
