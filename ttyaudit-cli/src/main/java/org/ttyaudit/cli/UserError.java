package org.ttyaudit.cli;

/**
 * A failure to report to the user as one line, with the exit status to use. Never printed with a stack trace.
 * Public so that the commands of sub-packages ({@code cli.remote}) report errors the same way.
 */
public final class UserError extends RuntimeException {
    private final int exitCode;

    UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A mistake in how the command was called (exit status 2). */
    public static UserError usage(String message) {
        return new UserError(message, Main.EXIT_USAGE);
    }

    /** The command was called right but could not do its job (exit status 1). */
    public static UserError failure(String message) {
        return new UserError(message, Main.EXIT_FAILURE);
    }

    public int exitCode() {
        return exitCode;
    }
}
