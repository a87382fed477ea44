package org.ttyaudit.server.store;

import java.util.Objects;

/**
 * A document a forwarder's receiver refused for good (a Splunk HEC 400, say): kept in the store with the reason,
 * so that nothing is skipped silently and an operator can send it by other means.
 *
 * @param eventId  the document's {@code event.id}
 * @param document the document as JSON
 */
public record RejectedDocument(String eventId, String document, String reason) {
    public RejectedDocument {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(reason, "reason");
    }
}
