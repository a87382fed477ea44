package org.ttyaudit.server.migrate;

/** A migration that cannot start or cannot finish; the message says why and what to do, never a password. */
public final class MigrationException extends RuntimeException {
    public MigrationException(String message) {
        super(message);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
