package org.ttyaudit.server.store;

/** A store operation failed (I/O, a broken database, a violated constraint); the message says which and why. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
