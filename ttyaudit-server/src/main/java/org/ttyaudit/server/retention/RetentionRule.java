package org.ttyaudit.server.retention;

import org.ttyaudit.core.policy.PolicyMatch;
import org.ttyaudit.server.store.PruneCandidate;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One rule of the {@code retention} settings: the sessions it is for and how long they are kept.
 *
 * @param match    users, groups and hosts (globs, as in capture policies); null when the rule names only tags
 * @param tags     tags the session must carry, each with exactly this value (all of them)
 * @param keepDays days after the session's end before its content may be pruned; {@link Keep#FOREVER} never
 */
record RetentionRule(String name, PolicyMatch match, Map<String, String> tags, long keepDays) {
    RetentionRule {
        Objects.requireNonNull(name, "name");
        tags = Map.copyOf(tags);
        if (match == null && tags.isEmpty()) {
            throw new IllegalArgumentException("a rule needs users, groups, hosts or tags");
        }
    }

    /**
     * Whether the rule is for this session. Its groups are those the recorder put in the header's {@code groups}
     * tag (comma-separated, docs/CAPTURE.md); a session without that tag is in no group.
     */
    boolean matches(PruneCandidate s) {
        if (match != null && !match.matches(s.user(), groups(s.tags()), s.host())) {
            return false;
        }
        for (Map.Entry<String, String> t : tags.entrySet()) {
            if (!t.getValue().equals(s.tags().get(t.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static List<String> groups(Map<String, String> tags) {
        String g = tags.get("groups");
        return g == null || g.isEmpty() ? List.of() : List.of(g.split(","));
    }
}
