package org.ttyaudit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.ttyaudit.cli.remote.ServerClient;
import org.ttyaudit.recorder.session.AuditIdentity;

import java.time.Instant;
import java.util.ArrayList;
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
        List<Session> found = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> query = new java.util.LinkedHashMap<>(Map.of("kind", "recorder", "host", host,
                    "tag", AuditIdentity.SESSION_TAG + ":" + ses, "limit", "100"));
            if (cursor != null) {
                query.put("cursor", cursor);
            }
            JsonNode page = client.getJson("/api/v1/sessions", query);
            for (JsonNode s : page.path("items")) {
                found.add(new Session(s.path("id").asText(), s.path("user").asText(), s.path("uid").asLong(-1),
                        s.path("host").asText(), Instant.parse(s.path("started_at").asText())));
            }
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        return found;
    }
}
