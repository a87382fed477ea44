package org.ttyaudit.server.store;

import java.time.Instant;

/**
 * Which sessions to list or search; null fields do not filter. {@code since}/{@code until} bound the start time
 * (inclusive/exclusive). {@code visibleToUser} restricts to sessions whose recorded user is that login name (the
 * {@code user} role sees only its own sessions). {@code hasAlerts}: only sessions with (true) or without (false)
 * alerts.
 */
public record SessionFilter(String user, String host, Instant since, Instant until, String visibleToUser,
                            Boolean hasAlerts) {
    /** No alert condition. */
    public SessionFilter(String user, String host, Instant since, Instant until, String visibleToUser) {
        this(user, host, since, until, visibleToUser, null);
    }

    public static SessionFilter all() {
        return new SessionFilter(null, null, null, null, null, null);
    }
}
