package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which sessions to list or search; null fields do not filter. {@code since}/{@code until} bound the start time
 * (inclusive/exclusive). {@code visibleToUser} restricts to sessions whose recorded user is that login name (the
 * {@code user} role sees only its own sessions). {@code hasAlerts}: only sessions with (true) or without (false)
 * alerts. {@code kind}: only sessions of that header kind ({@code recorder}, {@code gateway}, {@code import}).
 * {@code tags}: only sessions whose header has every one of these tags with exactly that value (empty: no tag
 * condition); tag names are letters, digits, {@code _ . -}.
 */
public record SessionFilter(String user, String host, Instant since, Instant until, String visibleToUser,
                            Boolean hasAlerts, String kind, Map<String, String> tags) {
    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public SessionFilter {
        // sorted: the same filter always gives the same conditions (and SQL) in the same order
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tags));
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (!TAG_NAME.matcher(t.getKey()).matches()) {
                throw new IllegalArgumentException("tag name '" + t.getKey() + "' must be 1-64 letters, digits, "
                        + "_ . or -");
            }
            if (t.getValue() == null) {
                throw new IllegalArgumentException("tag " + t.getKey() + " has no value to match");
            }
        }
    }

    /** No alert, kind or tag condition. */
    public SessionFilter(String user, String host, Instant since, Instant until, String visibleToUser) {
        this(user, host, since, until, visibleToUser, null);
    }

    /** No kind or tag condition. */
    public SessionFilter(String user, String host, Instant since, Instant until, String visibleToUser,
                         Boolean hasAlerts) {
        this(user, host, since, until, visibleToUser, hasAlerts, null, Map.of());
    }

    public static SessionFilter all() {
        return new SessionFilter(null, null, null, null, null, null);
    }
}
