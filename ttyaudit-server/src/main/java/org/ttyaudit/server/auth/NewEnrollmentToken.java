package org.ttyaudit.server.auth;

import org.ttyaudit.server.store.AccountStore;

import java.util.Objects;

/** An enrollment token just created: what was stored, and the secret to give the administrator once. */
public record NewEnrollmentToken(AccountStore.EnrollmentToken stored, SecretToken token) {
    public NewEnrollmentToken {
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(token, "token");
    }
}
