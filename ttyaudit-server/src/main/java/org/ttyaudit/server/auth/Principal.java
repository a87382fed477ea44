package org.ttyaudit.server.auth;

import java.util.Objects;

/**
 * Who is making a request, once authenticated: a user (logged in with a password, web session), a user acting
 * through one of their API tokens, or an enrolled host (recorder or gateway). Immutable; build it with
 * {@link #user}, {@link #apiToken} or {@link #host}.
 *
 * @param kind               how the caller authenticated
 * @param id                 the user's id (also for {@link Kind#API_TOKEN}) or the host's id
 * @param name               the user's login name or the host's name
 * @param role               the user's role; null for a host (hosts have no role, see {@link AccessPolicy})
 * @param tokenId            the API token's id for {@link Kind#API_TOKEN} (so audit events can name it), else null
 * @param mustChangePassword a password login whose user must set a new password first: {@link AccessPolicy}
 *                           allows nothing until then
 */
public record Principal(Kind kind, String id, String name, Role role, String tokenId, boolean mustChangePassword) {

    /** How a request was authenticated. */
    public enum Kind {
        /** A user with their password (web UI login session). */
        USER,
        /** A user through an API token ({@code tta_…}); acts with the user's current role. */
        API_TOKEN,
        /** An enrolled host through its credential ({@code tth_…}). */
        HOST
    }

    public Principal {
        Objects.requireNonNull(kind, "kind");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a principal needs an id");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a principal needs a name");
        }
        if ((kind == Kind.HOST) != (role == null)) {
            throw new IllegalArgumentException(kind == Kind.HOST ? "a host has no role" : "a user needs a role");
        }
        if ((kind == Kind.API_TOKEN) != (tokenId != null)) {
            throw new IllegalArgumentException("a token id is given exactly for API token principals");
        }
        if (mustChangePassword && kind != Kind.USER) {
            throw new IllegalArgumentException("only a password login can be required to change the password");
        }
    }

    public static Principal user(String userId, String userName, Role role, boolean mustChangePassword) {
        return new Principal(Kind.USER, userId, userName, role, null, mustChangePassword);
    }

    public static Principal apiToken(String userId, String userName, Role role, String tokenId) {
        return new Principal(Kind.API_TOKEN, userId, userName, role, tokenId, false);
    }

    public static Principal host(String hostId, String hostName) {
        return new Principal(Kind.HOST, hostId, hostName, null, null, false);
    }

    /** True for a user, whether by password or API token. */
    public boolean isUser() {
        return kind != Kind.HOST;
    }

    /**
     * The actor as written into audit events: the user's login name, or {@code host:NAME} for a host (the API
     * token's id goes into the event's details).
     */
    public String actor() {
        return kind == Kind.HOST ? "host:" + name : name;
    }
}
