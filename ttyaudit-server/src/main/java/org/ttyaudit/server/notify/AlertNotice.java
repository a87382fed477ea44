package org.ttyaudit.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.UUID;

/**
 * What a notification says about one alert: which rule fired on what, in whose session, when. It is queued in the
 * outbox as {@link #toJson()} (in the transaction that stores the alert), and it is also the body of a generic
 * webhook ({@code format: json}); docs/ALERTS.md documents the fields. {@code alertId} is in every form a
 * notification takes, so that a receiver can drop the duplicates that at-least-once delivery may bring.
 *
 * @param trigger       what the rule matched on: {@code command}, {@code exec}, {@code file}, {@code output}, …
 * @param matched       the text that matched (a command line, a path, a line of output)
 * @param description   the rule's description; null when it has none
 * @param clientAddress where the user connected from; null when unknown
 * @param sessionUrl    a link to the session in the web UI; null when the server has no public URL
 */
public record AlertNotice(UUID alertId, String rule, String severity, String description, String trigger,
                          String matched, UUID sessionId, String user, String host, String clientAddress,
                          Instant at, String sessionUrl) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public AlertNotice {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(matched, "matched");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(at, "at");
    }

    /** The documented JSON object (every field present, absent values as null, {@code at} in ISO-8601 UTC). */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("alert_id", alertId.toString());
        o.put("rule", rule);
        o.put("severity", severity);
        o.put("description", description);
        o.put("trigger", trigger);
        o.put("matched", matched);
        o.put("session_id", sessionId.toString());
        o.put("user", user);
        o.put("host", host);
        o.put("client_address", clientAddress);
        o.put("at", at.toString());
        o.put("session_url", sessionUrl);
        return o.toString();
    }

    /**
     * Reads what {@link #toJson()} wrote (fields it does not know are ignored, so a newer writer's additions do no
     * harm).
     *
     * @throws IllegalArgumentException naming the field that is missing or malformed
     */
    public static AlertNotice fromJson(String json) {
        JsonNode o;
        try {
            o = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an alert notice is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("an alert notice must be a JSON object");
        }
        UUID id;
        try {
            id = UUID.fromString(required(o, "alert_id"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an alert notice's 'alert_id' is not an alert id: " + o.get("alert_id"),
                    e);
        }
        try {
            return new AlertNotice(id, required(o, "rule"), required(o, "severity"),
                    optional(o, "description"), required(o, "trigger"), required(o, "matched"),
                    UUID.fromString(required(o, "session_id")), required(o, "user"), required(o, "host"),
                    optional(o, "client_address"), Instant.parse(required(o, "at")), optional(o, "session_url"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("an alert notice's 'at' is not an ISO-8601 instant: " + o.get("at"), e);
        }
    }

    private static String required(JsonNode o, String field) {
        String v = optional(o, field);
        if (v == null) {
            throw new IllegalArgumentException("an alert notice needs the text field '" + field + "'");
        }
        return v;
    }

    private static String optional(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("an alert notice's '" + field + "' must be text, not " + v);
        }
        return v.asText();
    }
}
