package org.ttyaudit.server.forwarding;

import java.util.List;

/**
 * Sends batches of documents to one receiver over its protocol (syslog, Splunk HEC, Fluentd forward,
 * Elasticsearch/OpenSearch {@code _bulk}: per-item errors that will never succeed are {@link Delivery#rejected}, a
 * 429 or 5xx is a {@link ForwardException}). Used by its forwarder's one worker
 * thread, so implementations need not be thread-safe, except {@link #close()}, which may come from another thread
 * to end a send that hangs.
 */
public interface Forwarder extends AutoCloseable {

    /**
     * Sends {@code batch} (in feed order, at least one document); returns when the receiver has every document
     * except those it refused for good, as far as the protocol can tell (an acknowledgement where it has one).
     *
     * @throws ForwardException when the batch, or part of it, may not have arrived: the whole batch is sent again
     *                          later (at least once: receivers may see a document twice and can dedupe by
     *                          {@code event.id})
     * @throws InterruptedException when the server is closing
     */
    Delivery send(List<ForwardedEvent> batch) throws ForwardException, InterruptedException;

    /** Releases connections; a send in progress fails. */
    @Override
    void close();

    /** What became of a batch that was sent: the documents the receiver refused for good, with its reasons. */
    record Delivery(List<Rejection> rejected) {
        public static final Delivery ALL = new Delivery(List.of());

        public Delivery {
            rejected = List.copyOf(rejected);
        }
    }

    /** A document the receiver refused, and why (its answer, without secrets). */
    record Rejection(ForwardedEvent event, String reason) {
    }
}
