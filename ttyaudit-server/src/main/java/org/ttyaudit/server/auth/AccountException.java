package org.ttyaudit.server.auth;

import java.util.Objects;

/**
 * An account operation was refused; the message is one line for the user, the {@link Problem} tells the HTTP layer
 * which status to answer. Never carries a secret.
 */
public class AccountException extends RuntimeException {

    /** The kind of refusal (400, 404 and 409 in HTTP terms). */
    public enum Problem {
        /** The request is invalid: a bad name, a password the policy refuses, a TTL out of range. */
        INVALID,
        /** The user, token or host does not exist (or is not the caller's). */
        NOT_FOUND,
        /** It conflicts with the current state: a duplicate name, the last administrator. */
        CONFLICT
    }

    private final Problem problem;

    public AccountException(Problem problem, String message) {
        super(message);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    public Problem problem() {
        return problem;
    }
}
