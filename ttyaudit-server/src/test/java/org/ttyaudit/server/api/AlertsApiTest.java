package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.server.api.ServerFixture.Response;
import org.ttyaudit.server.testkit.RecordedSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttyaudit.server.testkit.RecordedSession.concat;
import static org.ttyaudit.server.testkit.RecordedSession.frames;

/**
 * Rules on a real server in this JVM: sessions ingested over the API as a recorder sends them raise alerts that
 * the API lists and filters, that are ledger leaves, that survive a restart without being raised again; a
 * terminate rule reaches the recorder in its commit point; rule files that do not load stop the start, and a
 * reload that fails keeps the rules in force.
 */
class AlertsApiTest {
    private static final String TERMINATE_RULES = """
            rules:
              - name: no-reboots
                description: Rebooting is not allowed here
                severity: critical
                match:
                  program: reboot
                actions: [alert, {terminate: "reboots are not allowed on this host"}]
            """;

    @TempDir
    Path dir;
    private ServerFixture server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ServerFixture start() throws Exception {
        server = new ServerFixture(dir.resolve("data"));
        return server;
    }

    private void settings(String rules) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("server.yaml"), "rules:\n  file: rules.yaml\n");
        Files.writeString(data.resolve("rules.yaml"), rules);
    }

    private void ingest(String credential, RecordedSession s, boolean withHeader) throws Exception {
        List<byte[]> parts = new ArrayList<>();
        if (withHeader) {
            parts.add(s.headerFrame());
        }
        parts.add(frames(s.chunks.toArray(new org.ttyaudit.core.format.Chunk[0])));
        Response r = server.ingest(credential, s.id(), concat(parts.toArray(new byte[0][])));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        server.server.awaitRulesEvaluated(Duration.ofSeconds(30));
    }

    @Test
    void aRiskyCommandRaisesOneAlertThatTheApiListsFiltersAndTheLedgerHolds() throws Exception {
        start();
        String admin = server.admin();
        String host = server.host(admin, "web-1");
        RecordedSession risky = new RecordedSession("alice", "web-1");
        risky.command("sudo -n true", "", 0);
        risky.command("ls -l", "total 0", 0);
        ingest(host, risky, true);
        RecordedSession quiet = new RecordedSession("bob", "web-1");
        quiet.command("make test", "ok", 0);
        ingest(host, quiet, true);

        JsonNode alerts = server.get("/api/v1/sessions/" + risky.id() + "/alerts", admin).json();
        assertThat(alerts).hasSize(1);
        JsonNode a = alerts.get(0);
        assertThat(a.get("rule").asText()).isEqualTo("sudo-use");
        assertThat(a.get("severity").asText()).isEqualTo("medium");
        assertThat(a.get("trigger").asText()).isEqualTo("command");
        assertThat(a.get("matched").asText()).isEqualTo("sudo -n true");
        assertThat(a.get("command_id").asLong()).isEqualTo(1);
        assertThat(a.get("at").asText()).isEqualTo("2026-11-25T10:00:00.001Z");
        assertThat(a.get("actions").toString()).isEqualTo("[\"alert\"]");

        assertThat(server.get("/api/v1/sessions/" + risky.id(), admin).json().get("alerts").asInt()).isEqualTo(1);
        assertThat(ids(server.get("/api/v1/sessions?has_alerts=true", admin).json())).containsExactly(risky.id());
        assertThat(ids(server.get("/api/v1/sessions?has_alerts=false", admin).json())).containsExactly(quiet.id());
        assertThat(server.get("/api/v1/alerts?severity=medium,high", admin).json().get("items")).hasSize(1);
        assertThat(server.get("/api/v1/alerts?severity=high", admin).json().get("items")).isEmpty();
        assertThat(server.get("/api/v1/alerts?severity=bogus", admin).status()).isEqualTo(400);
        assertThat(server.get("/api/v1/sessions?has_alerts=maybe", admin).status()).isEqualTo(400);

        long leaf = a.get("ledger_index").asLong();
        JsonNode leaves = server.get("/api/v1/ledger/leaves?start=" + leaf + "&count=1", admin).json();
        assertThat(leaves.get("leaves").get(0).get("data").asText()).as("version 1, kind 6 (alert), the alert's id")
                .startsWith("0106" + a.get("id").asText().replace("-", ""));
        String metrics = server.get("/metrics", null).text();
        assertThat(metrics).contains("ttyaudit_alerts_total{rule=\"sudo-use\",severity=\"medium\"} 1.0");
    }

    @Test
    void alertsSurviveARestartAndAreNotRaisedAgain() throws Exception {
        start();
        String admin = server.admin();
        String host = server.host(admin, "web-1");
        RecordedSession s = new RecordedSession("alice", "web-1");
        s.command("sudo -n true", "", 0);
        ingest(host, s, true);
        server.close();

        server = new ServerFixture(dir.resolve("data"));
        String admin2 = server.login("admin", ServerFixture.ADMIN_PASSWORD);
        int before = s.chunks.size();
        s.command("history -c", "", 0);
        Response r = server.ingest(host, s.id(), frames(s.chunks.get(before)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        server.server.awaitRulesEvaluated(Duration.ofSeconds(30));
        JsonNode alerts = server.get("/api/v1/sessions/" + s.id() + "/alerts", admin2).json();
        assertThat(alerts).extracting(n -> n.get("rule").asText()).containsExactly("sudo-use", "history-cleared");
    }

    @Test
    void aTerminateRuleAsksTheRecorderToEndTheSessionInItsNextCommitPoint() throws Exception {
        settings(TERMINATE_RULES);
        start();
        String admin = server.admin();
        String host = server.host(admin, "web-1");
        RecordedSession s = new RecordedSession("alice", "web-1");
        s.command("reboot now", "", 0);
        ingest(host, s, true);
        JsonNode point = server.get("/api/v1/ingest/sessions/" + s.id(), host).json();
        assertThat(point.get("terminate").asBoolean()).isTrue();
        assertThat(point.get("terminate_reason").asText())
                .isEqualTo("reboots are not allowed on this host (rule no-reboots)");
        JsonNode alert = server.get("/api/v1/sessions/" + s.id() + "/alerts", admin).json().get(0);
        assertThat(alert.get("actions").toString()).isEqualTo("[\"alert\",\"terminate\"]");
        assertThat(alert.get("trigger").asText()).isEqualTo("command");
    }

    @Test
    void aRuleFileThatDoesNotLoadStopsTheStartNamingFileAndLine() throws Exception {
        settings("rules:\n  - name: x\n    severity: urgent\n    match: {command: 'a'}\n");
        assertThatThrownBy(this::start).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(dir.resolve("data/rules.yaml") + ":3:").hasMessageContaining("urgent");
        Files.writeString(dir.resolve("data/server.yaml"), "rules:\n  file: rules.yaml\nnotify:\n  targets: []\n");
        Files.writeString(dir.resolve("data/rules.yaml"), "rules:\n  - name: x\n    description: d\n"
                + "    severity: low\n    match: {command: 'a'}\n    actions: [{notify: [nowhere]}]\n");
        assertThatThrownBy(this::start).isInstanceOf(ConfigException.class)
                .hasMessageContaining("nowhere, which the settings' notify section does not define");
    }

    @Test
    void aReloadThatFailsKeepsTheRulesInForceAndAChangedFileIsPickedUp() throws Exception {
        settings(TERMINATE_RULES);
        start();
        String admin = server.admin();
        Path file = dir.resolve("data/rules.yaml");
        assertThat(ruleNames(admin)).contains("no-reboots", "sudo-use");

        Files.writeString(file, "rules:\n  - name: broken\n    description: d\n    severity: low\n"
                + "    match: {command: '(unclosed'}\n");
        Response failed = server.post("/api/v1/rules/reload", admin, java.util.Map.of());
        assertThat(failed.status()).isEqualTo(400);
        assertThat(failed.text()).contains("the previous rules stay in force").contains(file + ":5:");
        assertThat(ruleNames(admin)).contains("no-reboots");

        Files.writeString(file, TERMINATE_RULES.replace("no-reboots", "no-reboots-v2"));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!ruleNames(admin).contains("no-reboots-v2") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ruleNames(admin)).as("picked up without a reload request").contains("no-reboots-v2")
                .doesNotContain("no-reboots");
        Response ok = server.post("/api/v1/rules/reload", admin, java.util.Map.of());
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(server.get("/api/v1/audit?action=rules.reload_failed", admin).json().get("items")).hasSize(1);
        assertThat(server.get("/api/v1/audit?action=rules.reload", admin).json().get("items")).hasSize(1);
    }

    private List<String> ruleNames(String token) throws Exception {
        List<String> names = new ArrayList<>();
        server.get("/api/v1/rules", token).json().get("rules").forEach(r -> names.add(r.get("name").asText()));
        return names;
    }

    private static List<UUID> ids(JsonNode page) {
        List<UUID> ids = new ArrayList<>();
        page.get("items").forEach(n -> ids.add(UUID.fromString(n.get("id").asText())));
        return ids;
    }
}
