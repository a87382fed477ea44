package org.ttyaudit.recorder.upload;

import java.io.IOException;

/**
 * A request to the audit server failed. {@link #permanent()} says whether trying again can help: a 4xx answer
 * (other than 409, which is not an error for the uploader) is permanent for that session; no answer, a timeout,
 * a TLS failure or a 5xx answer is transient and retried with backoff (docs/INGEST.md, "Client behaviour").
 * With several servers, {@link #retryAtOnce()} says the client has moved to another server that has not failed
 * yet: the retry goes there without backing off.
 *
 * <p>The message is one line naming the server and what went wrong; it never holds the credential.
 */
public final class IngestException extends IOException {
    /** {@link #status()} when there was no HTTP answer. */
    public static final int NO_ANSWER = -1;

    private final int status;
    private final boolean permanent;
    private final String reason;
    private final boolean retryAtOnce;

    IngestException(String message, int status, boolean permanent, Throwable cause) {
        this(message, message, status, permanent, cause, false);
    }

    /** @param reason what went wrong without the server's name ({@code connection refused}), for a log line */
    IngestException(String message, String reason, int status, boolean permanent, Throwable cause,
                    boolean retryAtOnce) {
        super(message, cause);
        this.reason = reason;
        this.status = status;
        this.permanent = permanent;
        this.retryAtOnce = retryAtOnce;
    }

    /** The same failure, saying whether the client moved to another server to retry with at once. */
    IngestException retryingAtOnce(boolean atOnce) {
        return atOnce == retryAtOnce ? this : new IngestException(getMessage(), reason, status, permanent,
                getCause(), atOnce);
    }

    /** The same failure with another message (the reason stays). */
    IngestException withMessage(String message) {
        return new IngestException(message, reason, status, permanent, getCause(), retryAtOnce);
    }

    /** What went wrong, without the server's name. */
    public String reason() {
        return reason;
    }

    /**
     * Whether the client has switched to another server that has not failed in this pass through its list: retry
     * at once, without backoff.
     */
    public boolean retryAtOnce() {
        return retryAtOnce;
    }

    /** The HTTP status, or {@link #NO_ANSWER}. */
    public int status() {
        return status;
    }

    public boolean permanent() {
        return permanent;
    }

    /** Whether the server refused the host's credential (401): a problem of the host, not of one session. */
    public boolean credentialRefused() {
        return status == 401;
    }
}
