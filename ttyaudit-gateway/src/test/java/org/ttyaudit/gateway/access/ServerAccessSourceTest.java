package org.ttyaudit.gateway.access;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.gateway.SshPublicKey;
import org.ttyaudit.core.policy.CaptureMode;
import org.ttyaudit.core.policy.CapturePolicies;
import org.ttyaudit.gateway.testkit.Keys;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.IngestClient;
import org.ttyaudit.server.api.ServerFixture;
import org.ttyaudit.server.testkit.ManualClock;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Against a real audit server: keys registered and removed through its API, and what happens when it stops. */
class ServerAccessSourceTest {
    /** The background refresh runs at the start only (real time); the test refreshes and moves the clock itself. */
    private static final ServerAccessSource.Timing TIMING = new ServerAccessSource.Timing(Duration.ofMinutes(10),
            Duration.ofSeconds(30), Duration.ofMinutes(10));

    @TempDir
    Path dir;
    ServerFixture server;
    boolean serverStopped;
    String alice;
    String key;
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    ServerAccessSource source;

    @BeforeEach
    void start() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("server.yaml"), """
                gateway:
                  targets:
                    web1: {address: 127.0.0.1, port: 2222}
                  groups:
                    ops: [alice]
                  rules:
                    - groups: [ops]
                      targets: [web1]
                      remote_users: [deploy]
                capture:
                  policies:
                    - match: {hosts: ['web*'], groups: [ops]}
                      mode: commands
                  bulk: {programs: [scp], keep_head: 1KiB}
                """);
        server = new ServerFixture(data);
        String admin = server.admin();
        alice = server.user(admin, "alice", "user");
        String credential = server.host(admin, "gw-1");
        key = Keys.publicLine(Keys.generate(dir.resolve("alice_key"), "ed25519"));
        IngestClient client = new IngestClient(new HostCredential(URI.create(server.base),
                server.server.fingerprint(), "gw-1", credential), Duration.ofSeconds(2), Duration.ofSeconds(5));
        source = new ServerAccessSource(client, TIMING, clock);
    }

    @AfterEach
    void stop() {
        source.close();
        if (!serverStopped) {
            server.close();
        }
    }

    private boolean accepted(String user) throws Exception {
        PublicKey expected = PublicKeys.of(SshPublicKey.parse(key));
        return source.keysOf(user).stream().anyMatch(k -> KeyUtils.compareKeys(k, expected));
    }

    private void register() throws Exception {
        assertThat(server.post("/api/v1/account/ssh-keys", alice, Map.of("public_key", key)).status())
                .isEqualTo(201);
    }

    @Test
    void thePolicyComesFromTheServer() throws Exception {
        assertThat(source.refresh()).isTrue();

        assertThat(source.groupsOf("alice")).containsExactly("ops");
        GatewayPolicy policy = source.policy();
        assertThat(policy.reachable("alice", source.groupsOf("alice"))).singleElement()
                .satisfies(a -> assertThat(a.remoteUsers()).containsExactly("deploy"));
        assertThat(policy.target("web1")).hasValueSatisfying(t -> assertThat(t.port()).isEqualTo(2222));
    }

    @Test
    void theCapturePoliciesComeFromTheServerAndStayWhenItStops() throws Exception {
        assertThat(source.capturePolicies()).as("before the first answer").isEqualTo(CapturePolicies.builtIn());
        assertThat(source.refresh()).isTrue();
        PolicyAccess access = new PolicyAccess(source);

        assertThat(access.capturePolicy("alice", "web1").mode()).isEqualTo(CaptureMode.COMMANDS);
        assertThat(access.capturePolicy("alice", "web1").source()).isEqualTo("server.yaml:12");
        assertThat(access.capturePolicy("bob", "web1").mode()).isEqualTo(CaptureMode.FULL);
        assertThat(access.capturePolicy("bob", "web1").bulk().programs()).containsExactly("scp");

        server.close();
        serverStopped = true;
        clock.advance(Duration.ofMinutes(5));
        assertThat(source.refresh()).isFalse();
        assertThat(access.capturePolicy("alice", "web1").mode()).isEqualTo(CaptureMode.COMMANDS);
        clock.advance(Duration.ofMinutes(6));
        assertThat(source.policy()).as("stale: nobody logs in").isEqualTo(GatewayPolicy.empty());
        assertThat(source.capturePolicies().resolve("alice", List.of("ops"), "web1").mode())
                .as("the policies themselves are kept").isEqualTo(CaptureMode.COMMANDS);
    }

    @Test
    void aRegisteredKeyIsAcceptedAndARemovedOneIsGoneAfterTheCacheTime() throws Exception {
        assertThat(accepted("alice")).isFalse();
        register();
        clock.advance(Duration.ofSeconds(31));
        assertThat(accepted("alice")).isTrue();
        assertThat(source.keysOf("nobody")).isEmpty();

        String fingerprint = SshPublicKey.parse(key).fingerprint().replace('+', '-').replace('/', '_');
        assertThat(server.method("DELETE", "/api/v1/account/ssh-keys/" + fingerprint, alice, null).status())
                .isEqualTo(204);
        assertThat(accepted("alice")).as("still in the cache").isTrue();
        clock.advance(Duration.ofSeconds(31));
        assertThat(accepted("alice")).isFalse();
    }

    @Test
    void whenTheServerStopsTheLastAnswersHoldForTheStaleLimitThenNothingIsAllowed() throws Exception {
        register();
        assertThat(source.refresh()).isTrue();
        assertThat(accepted("alice")).isTrue();

        server.close();
        serverStopped = true;
        clock.advance(Duration.ofMinutes(5));
        assertThat(source.refresh()).isFalse();
        assertThat(accepted("alice")).as("the cached keys, 5 minutes old").isTrue();
        assertThat(source.policy().reachable("alice", source.groupsOf("alice"))).hasSize(1);

        clock.advance(Duration.ofMinutes(5));
        assertThat(accepted("alice")).as("10 minutes: fail closed").isFalse();
        assertThat(source.policy()).isEqualTo(GatewayPolicy.empty());
        assertThat(source.groupsOf("alice")).isEmpty();
    }
}
