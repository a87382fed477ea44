package org.ttyaudit.core.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

/**
 * The session-header record: a {@link SessionHeader} as compact UTF-8 JSON with a fixed field order and tags
 * sorted by key, so the same header always gives the same bytes (docs/FORMAT.md, "Session header").
 *
 * <p>Verification hashes the bytes as stored, never a re-encoding, so a reader accepts any field order and
 * ignores fields it does not know (a newer writer may add some). Thread-safe: Jackson's factory and mapper are.
 */
public final class SessionHeaderCodec {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Only readers need the tree mapper: a recorder that only writes headers does not load Jackson databind. */
    private static final class Reader {
        static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);
    }

    private SessionHeaderCodec() {
    }

    /** The canonical bytes of {@code header}. */
    public static byte[] toBytes(SessionHeader h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("session_id", h.sessionId().toString());
            g.writeStringField("kind", h.kind());
            g.writeStringField("user", h.user());
            g.writeNumberField("uid", h.uid());
            g.writeStringField("host", h.host());
            g.writeStringField("tty", h.tty());
            g.writeStringField("client_address", h.clientAddress());
            g.writeStringField("term", h.term());
            g.writeNumberField("cols", h.cols());
            g.writeNumberField("rows", h.rows());
            g.writeStringField("started_at", h.startedAt().toString());
            g.writeArrayFieldStart("command");
            for (String arg : h.command()) {
                g.writeString(arg);
            }
            g.writeEndArray();
            g.writeStringField("capture", h.capture());
            g.writeStringField("recorder_version", h.recorderVersion());
            g.writeObjectFieldStart("tags");
            for (Map.Entry<String, String> tag : new TreeMap<>(h.tags()).entrySet()) {
                // Jackson escapes an unpaired surrogate in a value but writes it raw in a field name, which is not
                // UTF-8 and would make the header unreadable: names get U+FFFD, as strings do elsewhere.
                g.writeStringField(Utf8.wellFormed(tag.getKey()), tag.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Parses a session-header record.
     *
     * @throws FormatException naming the missing or invalid field
     */
    public static SessionHeader fromBytes(byte[] bytes) {
        JsonNode root;
        try {
            root = Reader.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new FormatException("session header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new FormatException("session header is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new FormatException("session header is not a JSON object");
        }
        try {
            Map<String, String> tags = new TreeMap<>();
            JsonNode tagNode = root.get("tags");
            if (tagNode != null && !tagNode.isNull()) {
                if (!tagNode.isObject()) {
                    throw new FormatException("session header field 'tags' must be an object");
                }
                for (Map.Entry<String, JsonNode> e : tagNode.properties()) {
                    if (!e.getValue().isTextual()) {
                        throw new FormatException("session header tag '" + e.getKey() + "' must be a string");
                    }
                    tags.put(e.getKey(), e.getValue().textValue());
                }
            }
            List<String> command = new ArrayList<>();
            JsonNode cmd = required(root, "command");
            if (!cmd.isArray()) {
                throw new FormatException("session header field 'command' must be an array of strings");
            }
            for (JsonNode arg : cmd) {
                if (!arg.isTextual()) {
                    throw new FormatException("session header field 'command' must be an array of strings");
                }
                command.add(arg.textValue());
            }
            return new SessionHeader(
                    SessionId.parse(text(root, "session_id", false)),
                    text(root, "kind", false),
                    text(root, "user", false),
                    integer(root, "uid"),
                    text(root, "host", false),
                    text(root, "tty", true),
                    text(root, "client_address", true),
                    text(root, "term", true),
                    (int) integer(root, "cols"),
                    (int) integer(root, "rows"),
                    Instant.parse(text(root, "started_at", false)),
                    command,
                    text(root, "capture", false),
                    text(root, "recorder_version", false),
                    tags);
        } catch (DateTimeException e) {
            throw new FormatException("session header field 'started_at' is not an ISO-8601 instant");
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new FormatException("session header is invalid: " + e.getMessage());
        }
    }

    private static JsonNode required(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null) {
            throw new FormatException("session header lacks field '" + field + "'");
        }
        return n;
    }

    private static String text(JsonNode root, String field, boolean nullable) {
        JsonNode n = nullable ? root.get(field) : required(root, field);
        if (n == null || n.isNull()) {
            if (nullable) {
                return null;
            }
            throw new FormatException("session header field '" + field + "' must not be null");
        }
        if (!n.isTextual()) {
            throw new FormatException("session header field '" + field + "' must be a string");
        }
        return n.textValue();
    }

    private static long integer(JsonNode root, String field) {
        JsonNode n = required(root, field);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new FormatException("session header field '" + field + "' must be an integer");
        }
        if (!field.equals("uid") && !n.canConvertToInt()) {
            throw new FormatException("session header field '" + field + "' is out of range");
        }
        return n.longValue();
    }
}
