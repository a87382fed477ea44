package org.ttyaudit.recorder.upload;

import java.io.IOException;

/**
 * A request to the audit server failed. {@link #permanent()} says whether trying again can help: a 4xx answer
 * (other than 409, which is not an error for the uploader) is permanent for that session; no answer, a timeout,
 * a TLS failure or a 5xx answer is transient and retried with backoff (docs/INGEST.md, "Client behaviour").
 *
 * <p>The message is one line naming the server and what went wrong; it never holds the credential.
 */
public final class IngestException extends IOException {
    /** {@link #status()} when there was no HTTP answer. */
    public static final int NO_ANSWER = -1;

    private final int status;
    private final boolean permanent;

    IngestException(String message, int status, boolean permanent, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.permanent = permanent;
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
