package org.ttyaudit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.ttyaudit.cli.remote.ServerClient;
import org.ttyaudit.recorder.session.AuditIdentity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recorded sessions on an audit server, found with the session list's tag filter
 * ({@code GET /api/v1/sessions?kind=recorder&host=H&tag=audit_session:N}).
 */
final class ServerRecordedSessions implements RecordedSessions {
    private final ServerClient client;

    ServerRecordedSessions(ServerClient client) {
        this.client = client;
    }

    @Override
    public List<Session> withAuditSession(String host, long ses) {
        return list(Map.of("kind", "recorder", "host", host, "tag", AuditIdentity.SESSION_TAG + ":" + ses)).stream()
                .map(s -> new Session(s.path("id").asText(), s.path("user").asText(), s.path("uid").asLong(-1),
                        s.path("host").asText(), Instant.parse(s.path("started_at").asText())))
                .toList();
    }

    @Override
    public List<Map<String, String>> attachmentsOf(String sessionId) {
        List<Map<String, String>> tags = new ArrayList<>();
        for (JsonNode s : list(Map.of("kind", "import", "tag", AuditAttachment.ATTACHED_TO_TAG + ":" + sessionId))) {
            Map<String, String> t = new LinkedHashMap<>();
            s.path("tags").fields().forEachRemaining(f -> t.put(f.getKey(), f.getValue().asText()));
            t.put(ID, s.path("id").asText());
            tags.add(t);
        }
        return tags;
    }

    @Override
    public List<String> ownSessionsFrom(String sha256, long ses) {
        List<String> ids = new ArrayList<>();
        // the list filters on one value per tag name: the audit session is checked here
        for (JsonNode s : list(Map.of("kind", "import", "tag", "import_sha256:" + sha256))) {
            JsonNode tags = s.path("tags");
            if (!tags.has(AuditAttachment.ATTACHED_TO_TAG)
                    && Long.toString(ses).equals(tags.path(AuditIdentity.SESSION_TAG).asText())) {
                ids.add(s.path("id").asText());
            }
        }
        return ids;
    }

    /** Every session the list returns for {@code filter}, page by page. */
    private List<JsonNode> list(Map<String, String> filter) {
        List<JsonNode> found = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> query = new LinkedHashMap<>(filter);
            query.put("limit", "100");
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonNode page = client.getJson("/api/v1/sessions", query);
            page.path("items").forEach(found::add);
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        return found;
    }
}
