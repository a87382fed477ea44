package org.ttyaudit.server.notify;

import java.time.Duration;

/**
 * A notification was not delivered: the message says why in one line (it is stored as the outbox entry's last
 * error and logged, so it never holds a secret), and {@link #retryAfter()} what the receiver asked for, if anything.
 */
final class DeliveryException extends Exception {
    private final transient Duration retryAfter;

    DeliveryException(String message) {
        this(message, null, null);
    }

    DeliveryException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** When the receiver asked to be tried again ({@code Retry-After}); null when it did not say. */
    Duration retryAfter() {
        return retryAfter;
    }
}
