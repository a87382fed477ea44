package org.ttyaudit.server.auth;

import java.util.Locale;

/**
 * The role of a user account. What each role may do is decided only by {@link AccessPolicy}.
 * The stored and wire form is the lower-case name ({@code admin}, {@code auditor}, {@code user}).
 */
public enum Role {
    /** Everything: manages users, tokens, hosts; reads everything; may end sessions. */
    ADMIN,
    /** Reads everything (sessions, search, audit log, ledger), manages nothing but their own API tokens. */
    AUDITOR,
    /** Sees only sessions recorded under their own login name. */
    USER;

    /** The stored and wire form: {@code admin}, {@code auditor} or {@code user}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the wire form, exactly as {@link #wireName()} writes it.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.wireName().equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role " + (text == null ? "null" : "'" + text + "'")
                + ": expected admin, auditor or user");
    }
}
