package org.ttyaudit.server.store;

import java.time.Instant;

/**
 * Which sessions to list or search; null fields do not filter. {@code since}/{@code until} bound the start time
 * (inclusive/exclusive). {@code visibleToUser} restricts to sessions whose recorded user is that login name (the
 * {@code user} role sees only its own sessions).
 */
public record SessionFilter(String user, String host, Instant since, Instant until, String visibleToUser) {
    public static SessionFilter all() {
        return new SessionFilter(null, null, null, null, null);
    }
}
