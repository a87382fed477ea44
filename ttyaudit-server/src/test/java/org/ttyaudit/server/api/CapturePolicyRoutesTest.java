package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.config.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code GET /api/v1/ingest/capture-policy} of a real server, from the capture section of its settings file. */
class CapturePolicyRoutesTest {
    @TempDir
    Path dir;

    @Test
    void eachHostGetsThePolicyForItsEnrolledNameAndTheUsersGroups() throws Exception {
        Files.writeString(dir.resolve("server.yaml"), """
                capture:
                  default: {mode: output, output_rate: 1MiB/s}
                  policies:
                    - match: {hosts: ['db-*'], groups: [dba]}
                      mode: commands
                  bulk: {programs: [rsync], keep_head: 4KiB, then: sample}
                """);
        try (ServerFixture server = new ServerFixture(dir)) {
            String admin = server.admin();
            String db = server.host(admin, "db-1");
            String web = server.host(admin, "web-1");
            String path = "/api/v1/ingest/capture-policy?user=carol&groups=staff,dba";

            JsonNode onDb = server.get(path, db).json();
            assertThat(onDb.get("mode").asText()).isEqualTo("commands");
            assertThat(onDb.get("source").asText()).isEqualTo("server.yaml:4");
            assertThat(onDb.get("output_rate").asLong()).isEqualTo(1 << 20);
            assertThat(onDb.get("bulk").toString())
                    .isEqualTo("{\"programs\":[\"rsync\"],\"keep_head\":4096,\"then\":\"sample\"}");
            assertThat(server.get(path, web).json().get("mode").asText()).as("not a db host").isEqualTo("output");
            assertThat(server.get("/api/v1/ingest/capture-policy?user=carol&groups=staff", db).json().get("mode")
                    .asText()).as("not in dba").isEqualTo("output");

            ServerFixture.Response noUser = server.get("/api/v1/ingest/capture-policy?groups=dba", db);
            assertThat(noUser.status()).isEqualTo(400);
            assertThat(noUser.json().get("error").asText()).contains("user is missing");
            assertThat(server.get(path, admin).status()).as("only hosts ask").isEqualTo(403);
        }
    }

    @Test
    void aServerWithABadCaptureSectionDoesNotStart() throws Exception {
        Files.writeString(dir.resolve("server.yaml"), "capture:\n  bulk:\n    programs: [rsync]\n    then: burn\n");
        assertThatThrownBy(() -> new ServerFixture(dir)).isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("server.yaml") + ":4: then: unknown value 'burn' (expected drop or sample)");
    }
}
