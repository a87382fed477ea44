package org.ttyaudit.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.policy.CaptureMode;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.ServerConfig;
import org.ttyaudit.server.api.ServerFixture.Response;
import org.ttyaudit.server.testkit.TestSshKeys;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Users' SSH keys through the API, and what an enrolled gateway reads: the policy and a user's keys. */
class GatewayApiTest {
    private static final String SETTINGS = """
            gateway:
              targets:
                web1: {address: 10.0.0.5}
                db1: {address: db1.internal, port: 2222}
              groups:
                ops: [alice]
              rules:
                - groups: [ops]
                  targets: ["*"]
                  remote_users: ["${user}", deploy]
            capture:
              default: {mode: full, output_rate: 2MiB/s}
              policies:
                - match: {hosts: ['db*'], groups: [ops]}
                  mode: commands
              bulk: {programs: [scp, sftp], keep_head: 4KiB}
            """;

    @TempDir
    Path dir;
    ServerFixture server;
    String admin;
    String alice;
    String gateway;

    @BeforeEach
    void start() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("server.yaml"), SETTINGS);
        server = new ServerFixture(data);
        admin = server.admin();
        alice = server.user(admin, "alice", "user");
        gateway = server.host(admin, "gw-1");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aUserRegistersListsAndRemovesTheirKeysAndEachChangeIsAudited() throws Exception {
        String key = TestSshKeys.line(1, "alice@laptop");
        Response added = server.post("/api/v1/account/ssh-keys", alice, Map.of("public_key", "  " + key + "\n"));

        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(added.json().get("fingerprint").asText()).isEqualTo(TestSshKeys.fingerprint(key));
        assertThat(added.json().get("public_key").asText()).isEqualTo(key);
        assertThat(added.json().get("comment").asText()).isEqualTo("alice@laptop");
        JsonNode listed = server.get("/api/v1/account/ssh-keys", alice).json();
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("type").asText()).isEqualTo("ssh-ed25519");

        assertThat(server.method("DELETE", "/api/v1/account/ssh-keys/" + TestSshKeys.inPath(key), alice, null)
                .status()).isEqualTo(204);
        assertThat(server.get("/api/v1/account/ssh-keys", alice).json()).isEmpty();
        Response again = server.method("DELETE", "/api/v1/account/ssh-keys/" + TestSshKeys.inPath(key), alice, null);
        assertThat(again.status()).isEqualTo(404);

        List<String> events = new ArrayList<>();
        for (JsonNode e : server.get("/api/v1/audit?limit=100", admin).json().get("items")) {
            if (e.get("action").asText().startsWith("ssh_key.")) {
                events.add(e.get("actor").asText() + " " + e.get("action").asText() + " "
                        + e.get("detail").get("user").asText() + " " + e.get("detail").get("fingerprint").asText());
            }
        }
        assertThat(events).containsExactlyInAnyOrder(
                "alice ssh_key.add alice " + TestSshKeys.fingerprint(key),
                "alice ssh_key.remove alice " + TestSshKeys.fingerprint(key));
    }

    @Test
    void badAndDuplicateKeysAreRefusedWithAReason() throws Exception {
        String key = TestSshKeys.line(2, "k");
        assertThat(server.post("/api/v1/account/ssh-keys", alice, Map.of("public_key", key)).status())
                .isEqualTo(201);

        Response duplicate = server.post("/api/v1/account/ssh-keys", alice, Map.of("public_key", key));
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("error").asText()).contains("registered already");
        String bob = server.user(admin, "bob", "user");
        assertThat(server.post("/api/v1/account/ssh-keys", bob, Map.of("public_key", key)).status())
                .as("another user's key").isEqualTo(409);
        Response options = server.post("/api/v1/account/ssh-keys", alice, Map.of("public_key", "no-pty " + key));
        assertThat(options.status()).isEqualTo(400);
        assertThat(options.json().get("error").asText()).startsWith("not a usable SSH public key:")
                .contains("options");
        assertThat(server.post("/api/v1/account/ssh-keys", alice, Map.of("public_key", "ssh-ed25519 AAAA"))
                .status()).isEqualTo(400);
        assertThat(server.post("/api/v1/account/ssh-keys", alice, Map.of()).status()).isEqualTo(400);
    }

    @Test
    void anAdminManagesSomeoneElsesKeys() throws Exception {
        String key = TestSshKeys.line(3, "given");
        assertThat(server.post("/api/v1/users/alice/ssh-keys", admin, Map.of("public_key", key)).status())
                .isEqualTo(201);
        assertThat(server.get("/api/v1/account/ssh-keys", alice).json()).hasSize(1);
        assertThat(server.get("/api/v1/users/alice/ssh-keys", admin).json()).hasSize(1);
        assertThat(server.get("/api/v1/users/nobody/ssh-keys", admin).status()).isEqualTo(404);
        assertThat(server.method("DELETE", "/api/v1/users/alice/ssh-keys/" + TestSshKeys.inPath(key), admin, null)
                .status()).isEqualTo(204);
        assertThat(server.get("/api/v1/account/ssh-keys", alice).json()).isEmpty();
    }

    @Test
    void aGatewayReadsAUsersKeysNoneForUnknownOrDisabledUsers() throws Exception {
        String key = TestSshKeys.line(4, "alice@laptop");
        server.post("/api/v1/account/ssh-keys", alice, Map.of("public_key", key));

        JsonNode keys = server.get("/api/v1/ingest/gateway/keys?user=alice", gateway).json();
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("public_key").asText()).isEqualTo(key);
        assertThat(keys.get(0).get("fingerprint").asText()).isEqualTo(TestSshKeys.fingerprint(key));
        assertThat(server.get("/api/v1/ingest/gateway/keys?user=nobody", gateway).json()).isEmpty();
        assertThat(server.get("/api/v1/ingest/gateway/keys", gateway).status()).isEqualTo(400);

        assertThat(server.method("PATCH", "/api/v1/users/alice", admin, Map.of("disabled", true)).status())
                .isEqualTo(200);
        assertThat(server.get("/api/v1/ingest/gateway/keys?user=alice", gateway).json()).isEmpty();
        assertThat(server.get("/api/v1/ingest/gateway/keys?user=alice", alice).status()).isEqualTo(401);
    }

    @Test
    void aGatewayReadsThePolicyOfTheSettingsFile() throws Exception {
        Response r = server.get("/api/v1/ingest/gateway/policy", gateway);

        assertThat(r.status()).isEqualTo(200);
        GatewayPolicy served = GatewayPolicy.fromJson(r.json());
        assertThat(served).isEqualTo(GatewayPolicy.load(YamlConfig.parse(SETTINGS, "s").mapping("gateway")));
        assertThat(served.reachable("alice", served.groupsOf("alice"))).hasSize(2);
        assertThat(r.json().get("targets").get("db1").get("port").asInt()).isEqualTo(2222);
        assertThat(server.get("/api/v1/ingest/gateway/policy", alice).status()).isEqualTo(403);
    }

    @Test
    void aGatewayReadsTheCapturePoliciesToResolveThemForItsTargets() throws Exception {
        Response r = server.get("/api/v1/ingest/gateway/capture-policies", gateway);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        CapturePolicies served = CapturePolicies.fromJson(r.json());
        assertThat(served).isEqualTo(CapturePolicies.parse(
                YamlConfig.parse(SETTINGS, "server.yaml").mapping("capture")));
        assertThat(served.resolve("alice", List.of("ops"), "db1").mode()).isEqualTo(CaptureMode.COMMANDS);
        assertThat(served.resolve("alice", List.of("ops"), "web1").outputRate().bytesPerSecond()).isEqualTo(2 << 20);
        assertThat(server.get("/api/v1/ingest/gateway/capture-policies", alice).status()).isEqualTo(403);
    }

    @Test
    void aBadGatewaySectionStopsTheStartNamingFileAndLine() throws Exception {
        Path data = dir.resolve("bad");
        Files.createDirectories(data);
        Files.writeString(data.resolve("server.yaml"), """
                gateway:
                  rules:
                    - users: [alice]
                      targets: [web9]
                """);
        ServerConfig config = new ServerConfig(data, new InetSocketAddress("127.0.0.1", 0), null, null, List.of(),
                null, Duration.ofSeconds(10));

        assertThatThrownBy(() -> AuditServer.start(config, new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.yaml:4: rules[1]: no target named 'web9' (defined: none)");
    }
}
