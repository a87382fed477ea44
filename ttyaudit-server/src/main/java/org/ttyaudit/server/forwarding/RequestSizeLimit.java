package org.ttyaudit.server.forwarding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * How large a request body one HTTP receiver takes, as far as its forwarder knows: at most the target's
 * {@code max_batch_bytes}, and lower once the receiver (or a proxy in front of it: nginx's
 * {@code client_max_body_size}, Elasticsearch's {@code http.max_content_length}) answered 413 to a request.
 * Learnt in memory for the forwarder's life, so that later batches are cut small enough at once instead of
 * meeting a 413 every time; a restart learns it again with one 413. Never raised again: a receiver whose limit was
 * raised gets the smaller requests until the server restarts, which costs requests, not data.
 * <p>
 * Used by the forwarder's one worker thread.
 */
final class RequestSizeLimit {
    private static final Logger log = LoggerFactory.getLogger(RequestSizeLimit.class);

    private final String forwarder;
    private final String receiver;
    private final long configured;
    private long bytes;
    /** The largest body the receiver took since it last refused one (0: none): a size known to go through. */
    private long largestTaken;
    private long refusedBytes;

    /**
     * @param forwarder  the forwarder's name (for the log)
     * @param receiver   the receiver's address without secrets (for the log and reasons)
     * @param configured {@code max_batch_bytes}
     */
    RequestSizeLimit(String forwarder, String receiver, long configured) {
        if (configured < 1) {
            throw new IllegalArgumentException("max batch bytes must be positive: " + configured);
        }
        this.forwarder = forwarder;
        this.receiver = receiver;
        this.configured = configured;
        this.bytes = configured;
    }

    /** The most bytes a request of several documents may have now (one document is sent alone whatever its size). */
    long bytes() {
        return bytes;
    }

    /** The receiver took a body of {@code body} bytes. */
    void taken(long body) {
        largestTaken = Math.max(largestTaken, body);
    }

    /**
     * The receiver refused a body of {@code body} bytes holding several documents as too large: from now on
     * requests hold at most half of it, or the largest body it took, whichever is more (that one went through).
     */
    void refused(long body) {
        if (largestTaken >= body) {
            // it took as much before: its limit was lowered since, and what it took then says nothing now
            largestTaken = 0;
        }
        long lower = Math.max(Math.max(1, body / 2), largestTaken);
        if (lower < bytes) {
            bytes = lower;
            refusedBytes = body;
        }
    }

    /** Logs once that the limit is lower than it was at {@code before} (the start of a batch), if it is. */
    void logIfLowered(long before) {
        if (bytes < before) {
            log.warn("forwarder {}: {} refused a request of {} bytes as too large (HTTP 413); requests to it hold at"
                    + " most {} bytes from now on (max_batch_bytes: {}); raise the receiver's limit (or a proxy's in"
                    + " front of it) or lower max_batch_bytes to avoid this", forwarder, receiver, refusedBytes,
                    bytes, configured);
        }
    }

    /**
     * Why a document that the receiver refused as too large even alone is rejected: its size and the limit hit
     * ({@code answer}: the receiver's answer, as far as it says anything).
     */
    String tooLarge(long document, long body, String answer) {
        String said = answer.toLowerCase(Locale.ROOT).contains("too large") ? answer
                : answer + " (too large)";
        return said + ": the document alone is " + document + " bytes (a request of " + body
                + " bytes) and " + receiver + " takes less, by its own limit or a proxy's (Elasticsearch's"
                + " http.max_content_length, nginx's client_max_body_size)"
                + (largestTaken > 0 ? "; the largest request it took was " + largestTaken + " bytes" : "");
    }
}
