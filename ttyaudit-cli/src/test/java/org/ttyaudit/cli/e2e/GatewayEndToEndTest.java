package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.gateway.testkit.GatewayHarness;
import org.ttyaudit.gateway.testkit.Keys;
import org.ttyaudit.gateway.testkit.Run;
import org.ttyaudit.gateway.testkit.Sshd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code ttyaudit gateway} enrolled with a real {@code ttyaudit server}: the policy and alice's key come
 * from the server, sessions through real OpenSSH reach the server, and a gateway killed with SIGKILL mid-session
 * loses nothing it had committed (its restart uploads the rest of the spool), and a rule's terminate ends a
 * gateway session.
 */
class GatewayEndToEndTest {
    private static final String REMOTE_USER = System.getProperty("user.name");

    @TempDir
    Path dir;

    @Test
    void sessionsThroughAnEnrolledGatewayReachTheServerAndSurviveAKill9() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Sshd.installed(), Sshd.MISSING);
        try (Sshd sshd = Sshd.start(dir.resolve("sshd"));
             ServerProcess server = startServerWithPolicy(sshd.port())) {
            server.user("alice", "user", "alice initial password 1");
            Path aliceKey = Keys.generate(dir.resolve("alice_key"), "ed25519");
            server.post("/api/v1/users/alice/ssh-keys", server.admin(), Map.of("public_key", Keys.publicLine(aliceKey)));
            Path credential = dir.resolve("gw-host.json");
            server.enroll(credential, "gw1");
            Path knownHosts = Files.writeString(dir.resolve("targets_known_hosts"), sshd.knownHostsLine() + "\n");
            Path data = dir.resolve("gw");

            GatewayProcess gw = GatewayProcess.start(data, credential, knownHosts, dir.resolve("gw.log.1"));
            sshd.authorize(gw.identityLine);
            Path clientKnownHosts = Files.writeString(dir.resolve("client_known_hosts"),
                    "[127.0.0.1]:" + gw.port + " " + gw.hostKeyLine + "\n");

            Run denied = Run.of(ssh(aliceKey, clientKnownHosts, gw.port, "alice%db9", "true"), null);
            assertThat(denied.exit()).isNotZero();

            Run ok = Run.of(ssh(aliceKey, clientKnownHosts, gw.port, "alice%web1", "echo gw-e2e-$((40+2)); exit 4"), null);
            assertThat(ok.exit()).as(ok.err()).isEqualTo(4);
            assertThat(ok.out()).isEqualTo("gw-e2e-42\n");
            String first = awaitSession(server, 1).get(0);
            assertThat(server.getJson("/api/v1/sessions/" + first + "/commands").toString())
                    .contains("echo gw-e2e-$((40+2)); exit 4");

            // A long session: its first output is committed (the client saw it: log before deliver), then SIGKILL.
            Process longRun = new ProcessBuilder(ssh(aliceKey, clientKnownHosts, gw.port, "alice%web1",
                    "echo before-the-kill; sleep 60")).redirectErrorStream(true).start();
            byte[] seen = longRun.getInputStream().readNBytes("before-the-kill\n".length());
            assertThat(new String(seen, StandardCharsets.UTF_8)).isEqualTo("before-the-kill\n");
            Thread.sleep(1500); // past the chunk latency bound: the chunk is written and fsync'd
            gw.kill9();
            longRun.waitFor(30, TimeUnit.SECONDS);
            longRun.destroyForcibly();

            GatewayProcess again = GatewayProcess.start(data, credential, knownHosts, dir.resolve("gw.log.2"));
            try {
                List<String> ids = awaitSession(server, 2);
                String killed = ids.stream().filter(id -> !id.equals(first)).findFirst().orElseThrow();
                JsonNode events = awaitOutput(server, killed, "before-the-kill");
                assertThat(events).isNotNull();
                JsonNode integrity = server.getJson("/api/v1/sessions/" + killed + "/integrity");
                assertThat(integrity.get("chain").get("ok").asBoolean()).as(integrity.toString()).isTrue();

                // A rule with terminate ends a gateway session, as it ends a recorded terminal. The restarted
                // gateway kept its host key (same data directory) but listens on a new port.
                assertThat(again.hostKeyLine).isEqualTo(gw.hostKeyLine);
                Files.writeString(clientKnownHosts, "[127.0.0.1]:" + again.port + " " + again.hostKeyLine + "\n",
                        java.nio.file.StandardOpenOption.APPEND);
                long started = System.nanoTime();
                Run ended = Run.of(ssh(aliceKey, clientKnownHosts, again.port, "alice%web1",
                        "forbidden-tool; sleep 15; echo not-reached"), null);
                assertThat(ended.exit()).as(ended.err() + " alerts: " + server.getJson("/api/v1/alerts")
                        + " sessions: " + server.getJson("/api/v1/sessions?kind=gateway")).isNotZero();
                assertThat(ended.out()).doesNotContain("not-reached");
                assertThat(ended.err()).contains("the audit server ended this session").contains("no forbidden tools");
                assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(30));

                // The server's capture policy for db*: commands only. The user gets the output; the record keeps the
                // command and no output.
                Run quiet = Run.of(ssh(aliceKey, clientKnownHosts, again.port, "alice%db1",
                        "echo db-output-$((6*7))"), null);
                assertThat(quiet.out()).as(quiet.err()).isEqualTo("db-output-42\n");
                JsonNode db = awaitEndedSessionOn(server, "db1");
                assertThat(db.get("capture").asText()).isEqualTo("commands");
                String dbId = db.get("id").asText();
                assertThat(server.getJson("/api/v1/sessions/" + dbId + "/commands").toString())
                        .contains("echo db-output-$((6*7))");
                Path dbRecord = Files.write(dir.resolve("db.tta"),
                        server.getBytes("/api/v1/sessions/" + dbId + "/record"));
                List<Event> dbEvents = new ArrayList<>();
                RecordFileReader.open(dbRecord).events().forEach(dbEvents::add);
                assertThat(dbEvents).isNotEmpty().noneMatch(OutputEvent.class::isInstance);
            } finally {
                again.close();
            }
        }
    }

    private ServerProcess startServerWithPolicy(int targetPort) throws Exception {
        Path serverData = Files.createDirectories(dir.resolve("server"));
        Files.writeString(serverData.resolve("server.yaml"), """
                rules:
                  file: rules.yaml
                gateway:
                  targets:
                    web1: {address: 127.0.0.1, port: %1$d}
                    db1: {address: 127.0.0.1, port: %1$d}
                  rules:
                    - users: [alice]
                      targets: [web1, db1]
                      remote_users: [%2$s]
                capture:
                  policies:
                    - match: {hosts: ['db*']}
                      mode: commands
                """.formatted(targetPort, REMOTE_USER));
        Files.writeString(serverData.resolve("rules.yaml"), """
                rules:
                  - name: forbidden-tool
                    description: a tool nobody may run through the gateway
                    severity: high
                    match: {program: [forbidden-tool]}
                    actions: [alert, {terminate: "no forbidden tools"}]
                """);
        return new ServerProcess(serverData).start();
    }

    private static List<String> awaitSession(ServerProcess server, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<String> ids = new ArrayList<>();
            for (JsonNode s : server.getJson("/api/v1/sessions?kind=gateway").get("items")) {
                ids.add(s.get("id").asText());
            }
            if (ids.size() >= n) {
                return ids;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " gateway sessions on the server, have " + ids);
            }
            Thread.sleep(200);
        }
    }

    /** The first gateway session on {@code host} that has ended. */
    private static JsonNode awaitEndedSessionOn(ServerProcess server, String host) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            for (JsonNode s : server.getJson("/api/v1/sessions?kind=gateway&host=" + host).get("items")) {
                if (!s.get("ended_at").isNull()) {
                    return s;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no ended gateway session on " + host + " reached the server");
            }
            Thread.sleep(200);
        }
    }

    private static JsonNode awaitOutput(ServerProcess server, String id, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            JsonNode hits = server.getJson("/api/v1/search?q=" + text).get("items");
            for (JsonNode h : hits) {
                if (h.toString().contains(id)) {
                    return h;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the committed output '" + text + "' of " + id + " never reached the server");
            }
            Thread.sleep(200);
        }
    }

    private static List<String> ssh(Path key, Path knownHosts, int port, String login, String command) {
        List<String> cmd = new ArrayList<>(List.of("ssh"));
        cmd.addAll(GatewayHarness.clientOptions(key, knownHosts));
        cmd.addAll(List.of("-p", String.valueOf(port), login + "@127.0.0.1", command));
        return cmd;
    }

    /** {@code ttyaudit gateway} as its own process, started and read like an operator would. */
    private static final class GatewayProcess implements AutoCloseable {
        private final Process process;
        final int port;
        final String hostKeyLine;
        final String identityLine;

        private GatewayProcess(Process process, int port, String hostKeyLine, String identityLine) {
            this.process = process;
            this.port = port;
            this.hostKeyLine = hostKeyLine;
            this.identityLine = identityLine;
        }

        static GatewayProcess start(Path data, Path credential, Path knownHosts, Path log) throws Exception {
            Process p = new ProcessBuilder(TerminalSession.ttyauditCommand(List.of("gateway", "--data", data.toString(),
                    "--listen", "127.0.0.1:0", "--credential-file", credential.toString(), "--known-hosts",
                    knownHosts.toString()))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                String text = Files.exists(log) ? Files.readString(log) : "";
                Matcher port = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)").matcher(text);
                Matcher host = Pattern.compile("host key \\(users pin it in known_hosts\\): (.+)").matcher(text);
                Matcher id = Pattern.compile("authorized_keys\\): (.+)").matcher(text);
                if (port.find() && host.find() && id.find()) {
                    return new GatewayProcess(p, Integer.parseInt(port.group(1)), host.group(1).trim(), id.group(1).trim());
                }
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new AssertionError("the gateway did not start:\n" + text);
                }
                Thread.sleep(50);
            }
        }

        void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
