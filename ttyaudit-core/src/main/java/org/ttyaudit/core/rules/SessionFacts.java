package org.ttyaudit.core.rules;

import org.ttyaudit.core.model.SessionHeader;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What rules may know about a session before any event: who, where from, when. {@code clientAddress} is null when
 * the session did not come over SSH; {@code groups} may be empty when the recorder did not report them.
 * {@code targetUser} is the account on the target host of a session the SSH gateway relayed (header tag
 * {@value #TARGET_USER_TAG}; {@code user} is then the person who logged in to the gateway), null for others.
 */
public record SessionFacts(String kind, String user, List<String> groups, String host, String clientAddress,
                           Instant startedAt, String targetUser) {
    /** The header tag that lists the user's groups, comma-separated. */
    public static final String GROUPS_TAG = "groups";
    /** The header tag of a gateway session naming the account on the target host. */
    public static final String TARGET_USER_TAG = "target_user";

    public SessionFacts {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(user, "user");
        groups = List.copyOf(Objects.requireNonNull(groups, "groups"));
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** The facts of a session that was not relayed by the gateway (no target user). */
    public SessionFacts(String kind, String user, List<String> groups, String host, String clientAddress,
                        Instant startedAt) {
        this(kind, user, groups, host, clientAddress, startedAt, null);
    }

    /**
     * The facts of a recorded session; groups come from the header tag {@value #GROUPS_TAG}, the target user from
     * {@value #TARGET_USER_TAG}.
     */
    public static SessionFacts of(SessionHeader h) {
        List<String> groups = new ArrayList<>();
        String tag = h.tags().get(GROUPS_TAG);
        if (tag != null) {
            for (String g : tag.split(",")) {
                if (!g.isBlank()) {
                    groups.add(g.strip());
                }
            }
        }
        return new SessionFacts(h.kind(), h.user(), groups, h.host(), h.clientAddress(), h.startedAt(),
                h.tags().get(TARGET_USER_TAG));
    }

    /**
     * The account the session runs as on its host, whose home {@code ~} and relative file event paths mean: the
     * target user of a gateway session (its shell, SFTP and SCP run as that account on the target), the session's
     * user otherwise.
     */
    String accountOnHost() {
        return targetUser != null ? targetUser : user;
    }

    static String homeOf(String user) {
        return "root".equals(user) ? "/root" : "/home/" + user;
    }
}
