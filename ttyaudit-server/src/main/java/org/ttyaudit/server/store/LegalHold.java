package org.ttyaudit.server.store;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A legal hold: while it is not released, retention prunes no session it covers (one session, every session of a
 * user, or every session on a host), whatever the policies say.
 *
 * @param value      the session id, the user's login name or the host name, by {@code scope}
 * @param releasedAt null while the hold is in force
 */
public record LegalHold(UUID id, Scope scope, String value, String reason, String createdBy, Instant createdAt,
                        String releasedBy, Instant releasedAt) {

    /** What a hold covers. The wire and stored form is the lower-case name. */
    public enum Scope {
        SESSION, USER, HOST;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the value and the accepted ones */
        public static Scope parse(String text) {
            for (Scope s : values()) {
                if (s.wireName().equals(text)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown hold scope " + (text == null ? "null" : "'" + text + "'")
                    + ": expected session, user or host");
        }
    }

    public LegalHold {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean active() {
        return releasedAt == null;
    }

    /** Whether this hold, if in force, covers a session with this id, user and host. */
    public boolean covers(UUID sessionId, String user, String host) {
        return switch (scope) {
            case SESSION -> value.equals(sessionId.toString());
            case USER -> value.equals(user);
            case HOST -> value.equals(host);
        };
    }
}
