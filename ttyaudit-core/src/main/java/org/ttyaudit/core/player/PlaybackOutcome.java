package org.ttyaudit.core.player;

/** How a playback ended. */
public enum PlaybackOutcome {
    /** Every event was played. */
    FINISHED,
    /** The user pressed {@code q} (or Ctrl-C, which raw mode delivers as a key). */
    QUIT
}
