package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recorded session's Linux audit log attachments on a real server in this JVM, uploaded as {@code ttyaudit
 * ingest-audit --server} uploads them: their exec (with uid, auid and result), file and sudo events come merged on
 * the session's clock with a link to their record; a record that only claims the {@code attached_to} tag (another
 * host's credential, another user) is not merged; who may not see the session sees none of it; and reading an
 * attachment through its session is audited as a view of the attachment.
 */
class SessionAttachmentsApiTest {
    @TempDir
    Path dir;
    private ServerFixture server;
    private String admin;
    private String webHost;
    private RecordedSession recorded;
    private RecordedSession attachment;

    @BeforeEach
    void start() throws Exception {
        server = new ServerFixture(dir.resolve("data"));
        admin = server.admin();
        webHost = server.host(admin, "web-1");
        recorded = new RecordedSession("alice", "web-1");
        recorded.command("make deploy", "deployed", 0);   // at 1 s
        recorded.command("ls", "x", 0);                   // at 2 s
        ingest(webHost, recorded);
        attachment = RecordedSession.auditAttachment(recorded.header, 3,
                Map.of("audit_through", "1795600001500:812", "imported_by", "root"));
        attachment.events(List.<Event>of(
                new ExecEvent(1_000_500, 5001, 5000, List.of("make", "deploy"), "/srv/app", 1000L, 1000L, true, 0),
                new ExecEvent(1_000_700, 5002, 5001, List.of("/nonexistent/tool", "a b"), "/srv/app", 1000L, 1000L,
                        false, -2),
                new FileEvent(1_000_900, "write", "/srv/app/release.tar", null, null, null, "audit"),
                new MarkerEvent(1_500_000, "sudo-command", "res=success cwd=/srv/app terminal=pts/3 cmd=systemctl "
                        + "restart app")));
        ingest(webHost, attachment);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void ingest(String credential, RecordedSession s) throws Exception {
        server.ingestWhole(credential, s);
    }

    private JsonNode attachments(String token) throws Exception {
        ServerFixture.Response r = server.get("/api/v1/sessions/" + recorded.id() + "/attachments", token);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void theAttachmentsEventsComeOnTheSessionsClockWithIdsResultAndTheirAttachment() throws Exception {
        JsonNode a = attachments(admin);
        assertThat(a.get("attachments")).hasSize(1);
        JsonNode listed = a.get("attachments").get(0);
        assertThat(listed.get("id").asText()).isEqualTo(attachment.id().toString());
        assertThat(listed.get("format").asText()).isEqualTo("linux-audit");
        assertThat(listed.get("audit_session").asText()).isEqualTo("3");
        assertThat(listed.get("audit_through").asText()).isEqualTo("1795600001500:812");
        assertThat(listed.get("events").asLong()).isEqualTo(4);

        List<JsonNode> events = new ArrayList<>();
        a.get("events").forEach(events::add);
        assertThat(events).extracting(e -> e.get("kind").asText()).containsExactly("exec", "exec", "file", "marker");
        assertThat(events).allSatisfy(e -> assertThat(e.get("attachment_id").asText())
                .isEqualTo(attachment.id().toString()));
        JsonNode make = events.get(0);
        assertThat(make.get("offset_us").asLong()).isEqualTo(1_000_500);
        assertThat(make.get("at").asText()).isEqualTo("2026-11-25T10:00:01.000500Z");
        assertThat(make.get("detail").toString()).isEqualTo("{\"pid\":5001,\"ppid\":5000,\"argv\":[\"make\","
                + "\"deploy\"],\"cwd\":\"/srv/app\",\"uid\":1000,\"auid\":1000,\"success\":true,\"exit\":0}");
        JsonNode failed = events.get(1).get("detail");
        assertThat(failed.get("success").asBoolean()).isFalse();
        assertThat(failed.get("exit").asInt()).isEqualTo(-2);
        assertThat(events.get(2).get("detail").get("source").asText()).isEqualTo("audit");
        assertThat(events.get(3).get("detail").get("detail").asText()).endsWith("cmd=systemctl restart app");

        // The recording's own exec events (from /proc) keep the fields they always had.
        JsonNode own = server.get("/api/v1/sessions/" + recorded.id() + "/events?kind=exec", admin).json();
        assertThat(own.get(0).get("detail").has("uid")).isFalse();
        // A session without attachments has none.
        JsonNode ofAttachment = server.get("/api/v1/sessions/" + attachment.id() + "/attachments", admin).json();
        assertThat(ofAttachment.get("attachments")).isEmpty();
        assertThat(ofAttachment.get("events")).isEmpty();
    }

    @Test
    void aRecordThatOnlyClaimsTheTagIsNotMerged() throws Exception {
        // another enrolled host's credential, claiming the same user and host names
        RecordedSession forged = RecordedSession.auditAttachment(recorded.header, 3, Map.of());
        forged.events(List.of(new ExecEvent(1_200_000, 1, 0, List.of("rm", "-rf", "/evidence"), "/", 0L, 1000L, true,
                0)));
        ingest(server.host(admin, "other-host"), forged);
        // the right credential, but the events claim to be another user's
        SessionHeader h = recorded.header;
        RecordedSession otherUser = RecordedSession.auditAttachment(new SessionHeader(h.sessionId(), "recorder", "bob",
                1001, h.host(), null, null, null, 80, 24, h.startedAt(), List.of(), "full", "test", Map.of()), 3,
                Map.of());
        otherUser.events(List.of(new ExecEvent(1_300_000, 2, 0, List.of("id"), "/", 1001L, 1001L, true, 0)));
        ingest(webHost, otherUser);

        JsonNode a = attachments(admin);
        assertThat(a.get("attachments")).extracting(x -> x.get("id").asText())
                .containsExactly(attachment.id().toString());
        assertThat(a.get("events").toString()).doesNotContain("/evidence").doesNotContain("\"id\"");
        // both are still there to be found by the tag
        assertThat(server.get("/api/v1/sessions?tag=attached_to:" + recorded.id(), admin).json().get("items"))
                .hasSize(3);
    }

    @Test
    void onlyWhoMaySeeTheSessionSeesItsAttachmentsAndTheReadIsAuditedForBoth() throws Exception {
        String alice = server.user(admin, "alice", "user");
        String bob = server.user(admin, "bob", "user");
        assertThat(server.get("/api/v1/sessions/" + recorded.id() + "/attachments", bob).status()).isEqualTo(404);
        assertThat(attachments(alice).get("events")).hasSize(4);

        JsonNode onAttachment = server.get("/api/v1/audit?session=" + attachment.id(), admin).json().get("items");
        assertThat(onAttachment).anySatisfy(e -> {
            assertThat(e.get("actor").asText()).isEqualTo("alice");
            assertThat(e.get("action").asText()).isEqualTo("session.view");
            assertThat(e.get("detail").get("part").asText()).isEqualTo("attached-events");
            assertThat(e.get("detail").get("via").asText()).isEqualTo(recorded.id().toString());
        });
        assertThat(onAttachment).noneSatisfy(e -> assertThat(e.get("actor").asText()).isEqualTo("bob"));
        JsonNode onSession = server.get("/api/v1/audit?session=" + recorded.id(), admin).json().get("items");
        assertThat(onSession).anySatisfy(e -> {
            assertThat(e.get("actor").asText()).isEqualTo("alice");
            assertThat(e.get("detail").get("part").asText()).isEqualTo("attachments");
        });
    }
}
