package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.recorder.pty.WindowSize;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules end to end, everything real: a server process with a settings file (a rule file beside the default pack,
 * and a webhook target), a recorder running bash in a real terminal and shipping to it live, and an HTTP
 * listener in the test receiving the webhook. Risky commands typed at the prompt raise the default pack's
 * alerts; a rule's notification arrives at the listener with the documented JSON; a {@code terminate} rule
 * ends the shell, and the user sees why.
 *
 * <p>{@code echo x >> /etc/passwd} really runs: when the test runs as root, the recorder runs in a mount
 * namespace of its own ({@code unshare -m}) where a copy is mounted over /etc/passwd, so the real file is never
 * touched; as another user the write is refused by the system, and the attempt alone raises the alert.
 */
class AlertsEndToEndTest {
    private static final String PROMPT = "tt[#$] ";

    @TempDir
    Path home;
    private ServerProcess server;
    private HttpServer hooks;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private record Received(long nanos, String body, String contentType) {
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        if (hooks != null) {
            hooks.stop(0);
        }
        TerminalSession.endProcessesUnder(home);
    }

    @Test
    void riskyCommandsRaiseAlertsAWebhookReceivesOneAndATerminateRuleEndsTheShell() throws Exception {
        hooks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hooks.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(System.nanoTime(), new String(body, StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Content-Type")));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hooks.start();

        Path data = Files.createDirectories(home.resolve("server-data"));
        RecordFixture.writeFile(data.resolve("server.yaml"), """
                rules:
                  file: rules.yaml
                notify:
                  targets:
                    - name: test-hook
                      type: webhook
                      url: http://127.0.0.1:%d/hook
                      format: json
                """.formatted(hooks.getAddress().getPort()));
        RecordFixture.writeFile(data.resolve("rules.yaml"), """
                rules:
                  - name: sudo-notify
                    description: sudo was run (sent to the test webhook)
                    severity: high
                    match:
                      program: sudo
                    actions: [alert, {notify: [test-hook]}]
                  - name: forbidden-here
                    description: This command is not allowed on this host
                    severity: critical
                    match:
                      command: '^ttyaudit-forbidden-command'
                    actions: [alert, {terminate: "this command is not allowed on this host"}]
                """);
        server = new ServerProcess(data).start();
        Path credentials = home.resolve("host.json");
        server.enroll(credentials, "rules-host");
        RecordFixture.writeFile(home.resolve(".bashrc"), "PS1='tt\\$ '\n");
        Path passwdCopy = home.resolve("passwd.copy");
        Files.copy(Path.of("/etc/passwd"), passwdCopy);
        String realPasswd = Files.readString(Path.of("/etc/passwd"));
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> sandbox = root
                ? List.of("unshare", "-m", "sh", "-c", "mount --bind \"$0\" /etc/passwd && exec \"$@\"",
                passwdCopy.toString())
                : List.of();

        try (TerminalSession t = TerminalSession.start(sandbox, List.of("record", "--upload", "--credential-file",
                credentials.toString(), "--", "bash"), RecordFixture.environment(home, "/bin/bash"),
                new WindowSize(120, 30))) {
            int at = t.awaitOutput(PROMPT);
            String id = server.awaitFirstSessionId();

            t.type("sudo -n true\r");
            long entered = System.nanoTime();
            Received hook = received.poll(20, TimeUnit.SECONDS);
            assertThat(hook).as("the webhook was called").isNotNull();
            double hookDelay = (hook.nanos() - entered) / 1e6;
            System.out.printf("rules: Enter to the webhook's arrival %.0f ms%n", hookDelay);
            assertThat(hookDelay).as("Enter to webhook, ms (reported, not a performance test)").isLessThan(5000);
            JsonNode notice = ServerProcess.JSON.readTree(hook.body());
            assertThat(hook.contentType()).startsWith("application/json");
            assertThat(notice.get("rule").asText()).isEqualTo("sudo-notify");
            assertThat(notice.get("severity").asText()).isEqualTo("high");
            assertThat(notice.get("session_id").asText()).isEqualTo(id);
            assertThat(notice.get("host").asText()).isEqualTo(hostOfSession(id));
            assertThat(notice.get("matched").asText()).contains("sudo");
            at = t.awaitOutput(at, PROMPT);

            at = t.runLine(at, PROMPT, "echo x >> /etc/passwd");
            at = t.runLine(at, PROMPT, "curl -fsS http://127.0.0.1:9/install.sh | sh");
            at = t.runLine(at, PROMPT, "history -c");
            at = t.runLine(at, PROMPT, "trap - DEBUG; PROMPT_COMMAND=");
            at = t.runLine(at, PROMPT, "echo after-the-hooks");

            Set<String> expected = Set.of("sudo-use", "sudo-notify", "auth-file-modified", "download-piped-to-shell",
                    "history-cleared", "shell-hooks-removed", "shell-hooks-lost");
            Set<String> fired = awaitRules(id, expected);
            assertThat(fired).containsAll(expected);

            t.type("ttyaudit-forbidden-command --now\r");
            t.awaitOutput(at, "the audit server ended this session: this command is not allowed on this host"
                    + " \\(rule forbidden-here\\)");
            assertThat(t.awaitExit().code()).as(t.output()).isEqualTo(128 + 1);
        }
        JsonNode session = server.getJson("/api/v1/sessions/" + server.awaitFirstSessionId());
        assertThat(session.get("terminate_reason").asText()).contains("rule forbidden-here");
        assertThat(session.get("alerts").asInt()).isGreaterThanOrEqualTo(8);
        JsonNode alerts = server.getJson("/api/v1/alerts?rule=forbidden-here");
        assertThat(alerts.get("items")).hasSize(1);
        JsonNode forbidden = alerts.get("items").get(0);
        assertThat(forbidden.get("severity").asText()).isEqualTo("critical");
        assertThat(forbidden.get("trigger").asText()).isEqualTo("command");
        assertThat(forbidden.get("matched").asText()).isEqualTo("ttyaudit-forbidden-command --now");
        assertThat(ServerProcess.JSON.convertValue(forbidden.get("actions"), List.class))
                .containsExactly("alert", "terminate");
        assertThat(Files.readString(Path.of("/etc/passwd"))).as("the real file is untouched").isEqualTo(realPasswd);
        if (root) {
            assertThat(Files.readString(passwdCopy)).as("the sandboxed copy took the write").endsWith("x\n");
        }
        assertThat(received).as("only the notify rule calls the webhook, once").isEmpty();
    }

    private Set<String> awaitRules(String id, Set<String> expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Set<String> fired = new TreeSet<>();
        while (System.nanoTime() < deadline) {
            fired.clear();
            for (JsonNode a : server.getJson("/api/v1/sessions/" + id + "/alerts")) {
                fired.add(a.get("rule").asText());
            }
            if (fired.containsAll(expected)) {
                break;
            }
            Thread.sleep(100);
        }
        return fired;
    }

    private String hostOfSession(String id) throws Exception {
        return server.getJson("/api/v1/sessions/" + id).get("host").asText();
    }
}
