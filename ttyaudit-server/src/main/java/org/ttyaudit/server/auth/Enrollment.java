package org.ttyaudit.server.auth;

import org.ttyaudit.server.store.AccountStore;

import java.util.Objects;

/** A host just enrolled: the stored host, and its credential ({@code tth_…}) to give the host once. */
public record Enrollment(AccountStore.Host host, SecretToken credential) {
    public Enrollment {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(credential, "credential");
    }
}
