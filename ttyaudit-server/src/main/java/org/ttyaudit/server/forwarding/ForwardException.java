package org.ttyaudit.server.forwarding;

import java.time.Duration;

/**
 * A batch was not (or not surely) delivered: the message says why in one line (it is logged and shown by the API,
 * so it never holds a secret), and {@link #retryAfter()} what the receiver asked for, if anything.
 */
public final class ForwardException extends Exception {
    private final transient Duration retryAfter;

    public ForwardException(String message) {
        this(message, null, null);
    }

    public ForwardException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** When the receiver asked to be tried again; null when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
