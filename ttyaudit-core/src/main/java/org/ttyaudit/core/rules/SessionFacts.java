package org.ttyaudit.core.rules;

import org.ttyaudit.core.model.SessionHeader;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What rules may know about a session before any event: who, where from, when. {@code clientAddress} is null when
 * the session did not come over SSH; {@code groups} may be empty when the recorder did not report them.
 */
public record SessionFacts(String kind, String user, List<String> groups, String host, String clientAddress,
                           Instant startedAt) {
    /** The header tag that lists the user's groups, comma-separated. */
    public static final String GROUPS_TAG = "groups";

    public SessionFacts {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(user, "user");
        groups = List.copyOf(Objects.requireNonNull(groups, "groups"));
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** The facts of a recorded session; groups come from the header tag {@value #GROUPS_TAG}. */
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
        return new SessionFacts(h.kind(), h.user(), groups, h.host(), h.clientAddress(), h.startedAt());
    }

    /** The home directory {@code ~} stands for: {@code /root} for root, {@code /home/USER} otherwise. */
    String home() {
        return homeOf(user);
    }

    static String homeOf(String user) {
        return "root".equals(user) ? "/root" : "/home/" + user;
    }
}
