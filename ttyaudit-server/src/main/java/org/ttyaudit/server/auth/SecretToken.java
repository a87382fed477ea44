package org.ttyaudit.server.auth;

import java.util.Objects;

/**
 * A freshly issued secret, handed to its owner once. Only {@link #hash()} is stored. {@link #toString()} shows the
 * kind but never the secret, so the token cannot reach a log by accident; {@link #reveal()} is the one way to get
 * it, for the response that gives it to its owner.
 */
public final class SecretToken {
    private final TokenKind kind;
    private final String value;

    SecretToken(TokenKind kind, String value) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.value = Objects.requireNonNull(value, "value");
    }

    public TokenKind kind() {
        return kind;
    }

    /** The secret itself, to be shown to or sent to its owner exactly once. */
    public String reveal() {
        return value;
    }

    /** {@link SecretTokens#hash} of the secret: what the store keeps. */
    public String hash() {
        return SecretTokens.hash(value);
    }

    @Override
    public String toString() {
        return "SecretToken[" + kind.prefix() + "…]";
    }
}
