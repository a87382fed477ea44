package org.ttyaudit.server.auth;

import java.util.Optional;

/**
 * What a new password must be: at least {@value #MIN_LENGTH} characters (Unicode code points, as NIST SP 800-63B
 * counts them), at most {@value #MAX_LENGTH}, and not the user name. No composition rules: length is what makes a
 * password strong, and rules push users to predictable patterns. Stateless.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 12;
    /** Long enough for any passphrase; bounds the work a request can cause. */
    public static final int MAX_LENGTH = 1024;

    private PasswordPolicy() {
    }

    /** Why {@code password} is refused for {@code userName}, or empty when it is acceptable. */
    public static Optional<String> refusal(String userName, String password) {
        if (password == null || password.isEmpty()) {
            return Optional.of("the password is empty; at least " + MIN_LENGTH + " characters are required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            return Optional.of("the password is too short (" + length + " characters); at least " + MIN_LENGTH
                    + " are required");
        }
        if (length > MAX_LENGTH) {
            return Optional.of("the password is too long (" + length + " characters); at most " + MAX_LENGTH
                    + " are allowed");
        }
        if (userName != null && password.equalsIgnoreCase(userName)) {
            return Optional.of("the password must not be the user name");
        }
        return Optional.empty();
    }

    /** @throws AccountException ({@link AccountException.Problem#INVALID}) with the reason when refused */
    public static void check(String userName, String password) {
        refusal(userName, password).ifPresent(reason -> {
            throw new AccountException(AccountException.Problem.INVALID, reason);
        });
    }
}
