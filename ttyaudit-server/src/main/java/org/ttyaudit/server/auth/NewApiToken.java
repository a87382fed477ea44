package org.ttyaudit.server.auth;

import org.ttyaudit.server.store.AccountStore;

import java.util.Objects;

/** An API token just created: what was stored, and the secret to give its owner once. */
public record NewApiToken(AccountStore.ApiToken stored, SecretToken token) {
    public NewApiToken {
        Objects.requireNonNull(stored, "stored");
        Objects.requireNonNull(token, "token");
    }
}
