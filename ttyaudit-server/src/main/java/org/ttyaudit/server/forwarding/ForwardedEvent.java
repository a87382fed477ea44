package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Objects;

/**
 * One document of the forwarding feed: an ECS document ({@link EcsMapper}) with the fields receivers' envelopes
 * need at hand. The document must not be changed once made (forwarders only read it).
 *
 * @param id        the document's {@code event.id}, stable across re-deliveries (receivers may dedupe by it)
 * @param timestamp its {@code @timestamp}
 * @param action    its {@code event.action} ({@code command-end}, {@code tree-head-signed}, …)
 * @param hostName  its {@code host.name}, null for the server's own events (audit events, tree heads)
 */
public record ForwardedEvent(String id, Instant timestamp, String action, String hostName, ObjectNode document) {
    public ForwardedEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(document, "document");
    }

    /** The text at a dotted ECS path ({@code user.name}), or null. */
    public String text(String path) {
        JsonNode n = document;
        for (String part : path.split("\\.")) {
            n = n.get(part);
            if (n == null || n.isNull()) {
                return null;
            }
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }

    /** The document as one line of JSON. */
    public String json() {
        return document.toString();
    }
}
