package org.ttyaudit.cli.remote;

/**
 * A request to the server failed: it could not be made (unreachable, wrong certificate, timeout: status 0) or
 * the server refused it (the HTTP status). The message is one line for the user and never contains a token.
 */
public final class ServerException extends RuntimeException {
    private final int status;

    public ServerException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status of the refusal, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
