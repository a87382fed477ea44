package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * Which alerts to list; null fields do not filter. {@code severities}: any of these (null or empty: all);
 * {@code since}/{@code until} bound the alert's time (inclusive/exclusive); {@code user}/{@code host} are the
 * session's; {@code visibleToUser} restricts to sessions of that login name (the {@code user} role).
 */
public record AlertFilter(UUID sessionId, String rule, Set<String> severities, String user, String host,
                          Instant since, Instant until, String visibleToUser) {
    public AlertFilter {
        severities = severities == null ? Set.of() : Set.copyOf(severities);
    }

    public static AlertFilter all() {
        return new AlertFilter(null, null, Set.of(), null, null, null, null, null);
    }

    /** The alerts of one session, in time order when read with {@link AlertQueries#forSession}. */
    public static AlertFilter session(UUID sessionId) {
        return new AlertFilter(sessionId, null, Set.of(), null, null, null, null, null);
    }
}
