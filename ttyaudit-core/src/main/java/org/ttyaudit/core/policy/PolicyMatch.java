package org.ttyaudit.core.policy;

import java.util.List;

/**
 * Whom a capture policy is for: a session matches when every criterion given matches (users AND groups AND hosts),
 * and a criterion matches when any of its patterns does. Patterns are globs: {@code *} any run of characters,
 * {@code ?} one character, everything else literal (case-sensitive, as user, group and host names are on Linux).
 * At least one criterion is given.
 */
public record PolicyMatch(List<String> users, List<String> groups, List<String> hosts) {
    public PolicyMatch {
        users = List.copyOf(users);
        groups = List.copyOf(groups);
        hosts = List.copyOf(hosts);
        if (users.isEmpty() && groups.isEmpty() && hosts.isEmpty()) {
            throw new IllegalArgumentException("a match needs users, groups or hosts (use 'default' for everyone)");
        }
        for (List<String> l : List.of(users, groups, hosts)) {
            for (String p : l) {
                if (p.isEmpty()) {
                    throw new IllegalArgumentException("an empty name matches nobody");
                }
            }
        }
    }

    /** Whether a session of {@code user}, member of {@code userGroups}, on {@code host} matches. */
    public boolean matches(String user, List<String> userGroups, String host) {
        return (users.isEmpty() || anyMatches(users, user))
                && (groups.isEmpty() || userGroups.stream().anyMatch(g -> anyMatches(groups, g)))
                && (hosts.isEmpty() || anyMatches(hosts, host));
    }

    private static boolean anyMatches(List<String> patterns, String name) {
        if (name == null) {
            return false;
        }
        for (String p : patterns) {
            if (glob(p, name)) {
                return true;
            }
        }
        return false;
    }

    /** Glob matching without regular expressions built from user text (no pattern can make it slow: O(n·m)). */
    static boolean glob(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int afterStar = 0;
        while (n < name.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == name.charAt(n))) {
                p++;
                n++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                afterStar = n;
            } else if (star >= 0) {
                p = star + 1;
                n = ++afterStar;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        append(b, "users", users);
        append(b, "groups", groups);
        append(b, "hosts", hosts);
        return b.toString();
    }

    private static void append(StringBuilder b, String key, List<String> values) {
        if (!values.isEmpty()) {
            b.append(b.isEmpty() ? "" : " ").append(key).append('=').append(String.join(",", values));
        }
    }

}
