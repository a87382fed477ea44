package org.ttyaudit.server.auth;

import org.ttyaudit.server.store.AccountStore;

import java.time.Instant;
import java.util.Objects;

/**
 * A user account as the rest of the server sees it: everything but the password hash.
 *
 * @param mustChangePassword the next login must set a new password before anything else (bootstrap, a password an
 *                           administrator set)
 */
public record Account(String id, String name, Role role, boolean mustChangePassword, boolean disabled,
                      Instant createdAt) {
    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    static Account of(AccountStore.User u) {
        return new Account(u.id(), u.name(), Role.parse(u.role()), u.mustChangePassword(), u.disabled(),
                u.createdAt());
    }

    /** The principal of a password login to this account. */
    public Principal principal() {
        return Principal.user(id, name, role, mustChangePassword);
    }
}
