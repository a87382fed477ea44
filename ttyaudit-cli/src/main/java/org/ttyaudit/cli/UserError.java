package org.ttyaudit.cli;

/** A failure to report to the user as one line, with the exit status to use. Never printed with a stack trace. */
final class UserError extends RuntimeException {
    private final int exitCode;

    UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    static UserError usage(String message) {
        return new UserError(message, Main.EXIT_USAGE);
    }

    static UserError failure(String message) {
        return new UserError(message, Main.EXIT_FAILURE);
    }

    int exitCode() {
        return exitCode;
    }
}
