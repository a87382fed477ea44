package org.ttyaudit.gateway.relay;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.gateway.testkit.GatewayHarness;
import org.ttyaudit.gateway.testkit.Run;
import org.ttyaudit.gateway.testkit.Typist;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Shell and exec through the gateway, driven by the real OpenSSH client, to a real sshd. */
class RelayTest {
    @TempDir
    static Path dir;
    static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void execWithoutPtyRelaysStdoutStderrExitStatusAndIsRecorded() throws Exception {
        int before = gw.recordings().size();
        Run r = Run.of(gw.ssh("alice%web1", "echo out-$((6*7)); echo err-1 >&2; exit 3"), null);

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("out-42\n");
        assertThat(r.err()).isEqualTo("err-1\n");
        Recording rec = gw.awaitCompleteRecordings(before + 1, Duration.ofSeconds(10)).get(before);
        assertThat(rec.header().kind()).isEqualTo("gateway");
        assertThat(rec.header().user()).isEqualTo("alice");
        assertThat(rec.header().host()).isEqualTo("web1");
        assertThat(rec.header().clientAddress()).isEqualTo("127.0.0.1");
        assertThat(rec.header().tags()).containsEntry("target_user", gw.remoteUser).containsEntry("channel", "exec");
        assertThat(rec.end().orElseThrow().end().exitStatus()).isEqualTo(3);
        List<Event> events = events(rec);
        assertThat(events).filteredOn(CommandStartEvent.class::isInstance).singleElement()
                .satisfies(e -> {
                    CommandStartEvent c = (CommandStartEvent) e;
                    assertThat(c.commandLine()).isEqualTo("echo out-$((6*7)); echo err-1 >&2; exit 3");
                    assertThat(c.source()).isEqualTo(CommandSource.SSH_EXEC);
                });
        assertThat(events).filteredOn(CommandEndEvent.class::isInstance).singleElement()
                .extracting(e -> ((CommandEndEvent) e).exitCode()).isEqualTo(3);
        assertThat(output(events)).contains("out-42\n").contains("err-1\n");
    }

    @Test
    void endOfInputReachesTheRemoteCommand() throws Exception {
        byte[] data = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
        Run r = Run.of(gw.ssh("alice%web1", "wc -l"), data);
        assertThat(r.exit()).isZero();
        assertThat(r.out().trim()).isEqualTo("2");
    }

    @Test
    void interactiveShellRecordsCommandsFromTheScreenAndPropagatesExit() throws Exception {
        int before = gw.recordings().size();
        // -tt without a local terminal: a pty request of size 0x0, which the gateway turns into 80x24.
        Process p = new ProcessBuilder(gw.ssh("alice%web1", List.of("-tt"))).redirectErrorStream(true).start();
        Typist t = new Typist(p);
        // Normal use: the first line is typed at the shell's first prompt, not ahead of the banner (typing ahead,
        // which sshd may drop, is LoginBannerTest's). The new prompt is spelled so that the echo of the line that
        // sets it does not contain it, so that awaiting it waits for the shell and not for the echo.
        t.await(gw.remoteUser.equals("root") ? "# " : "$ ");
        t.type("PS1='prompt$'' '; export PS1\r");
        t.await("prompt$ ");
        t.type("echo hi-$((6*7))\r");
        t.await("hi-42");
        // The prompt is put together when it runs, so its text is not in the echo of the line typed.
        t.type("p=Pass; read -s -p \"${p}word: \" pw; echo got-${#pw}\r");
        t.await("Password: ");
        t.type("hunter2-secret\r");
        t.await("got-14");
        // Typed ahead of the prompt while a command still prints, the echo lands before the prompt is drawn and the
        // screen shows the prompt after it: wait as a user would.
        t.await("prompt$ ");
        t.type("exit 7\r");
        assertThat(p.waitFor()).isEqualTo(7);

        Recording rec = gw.awaitCompleteRecordings(before + 1, Duration.ofSeconds(10)).get(before);
        assertThat(rec.header().cols()).isEqualTo(80);
        assertThat(rec.header().rows()).isEqualTo(24);
        assertThat(rec.end().orElseThrow().end().exitStatus()).isEqualTo(7);
        List<Event> events = events(rec);
        assertThat(events).filteredOn(CommandStartEvent.class::isInstance)
                .extracting(e -> ((CommandStartEvent) e).commandLine())
                .contains("echo hi-$((6*7))", "exit 7");
        assertThat(input(events)).contains("echo hi-").doesNotContain("hunter2");
        assertThat(events).filteredOn(RedactedInputEvent.class::isInstance)
                .extracting(e -> ((RedactedInputEvent) e).byteCount()).contains(15);
    }

    @Test
    void aTargetThePolicyDoesNotAllowIsRefused() throws Exception {
        Run r = Run.of(gw.ssh("alice%db9", "true"), null);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("alice may not reach db9");
    }

    @Test
    void aKeyThatIsNotRegisteredIsRefused() throws Exception {
        Run r = Run.of(gw.ssh("bob%web1", "true"), null);
        assertThat(r.exit()).isEqualTo(255);
        assertThat(r.err()).contains("Permission denied");
    }

    @Test
    void aPortForwardIsRefused() throws Exception {
        Run r = Run.of(gw.ssh("alice%web1", List.of("-W", "127.0.0.1:" + gw.sshd.port())), null);
        assertThat(r.exit()).isEqualTo(255);
        assertThat(r.err()).contains("stdio forwarding failed");
    }

    @Test
    void withoutATargetInTheLoginTheUserChoosesFromAMenu() throws Exception {
        int before = gw.recordings().size();
        Process p = new ProcessBuilder(gw.ssh("alice", List.of("-tt"))).redirectErrorStream(true).start();
        Typist t = new Typist(p);
        t.await("1) " + gw.remoteUser + "@web1");
        t.type("7\r");
        t.await("not a number from the list");
        t.type("1\r");
        t.type("echo chosen-$((40+2)); exit 5\r");
        t.await("chosen-42");
        assertThat(p.waitFor()).isEqualTo(5);
        Recording rec = gw.awaitCompleteRecordings(before + 1, Duration.ofSeconds(10)).get(before);
        assertThat(rec.header().host()).isEqualTo("web1");
        assertThat(input(events(rec))).doesNotContain("7\r").contains("echo chosen");
    }

    @Test
    void aTargetWhoseHostKeyChangedIsRefused() throws Exception {
        Path knownHosts = gw.dir.resolve("gw/known_hosts");
        String good = java.nio.file.Files.readString(knownHosts);
        Path other = org.ttyaudit.gateway.testkit.Keys.generate(gw.dir.resolve("other_host_key"), "ed25519");
        String[] pub = org.ttyaudit.gateway.testkit.Keys.publicLine(other).split(" ");
        try {
            java.nio.file.Files.writeString(knownHosts, "[127.0.0.1]:" + gw.sshd.port() + " " + pub[0] + " " + pub[1] + "\n");
            Run r = Run.of(gw.ssh("alice%web1", "true"), null);
            assertThat(r.exit()).isNotZero();
            assertThat(r.err()).contains("cannot log in to web1").contains("host key");
        } finally {
            java.nio.file.Files.writeString(knownHosts, good);
        }
        // The file is re-read when it changes: the right key works again.
        java.nio.file.Files.setLastModifiedTime(knownHosts, java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 5000));
        assertThat(Run.of(gw.ssh("alice%web1", "true"), null).exit()).isZero();
    }

    @Test
    void aForwardThePolicyAllowsIsOpenedByTheTargetAndRecorded() throws Exception {
        // sshd listens on loopback only: the forward reaches it because the target opens the connection.
        gw.access.allowForward("alice", "web1", "127.0.0.1", gw.sshd.port());
        int before = gw.recordings().size();
        Process p = new ProcessBuilder(gw.ssh("alice%web1", List.of("-W", "127.0.0.1:" + gw.sshd.port()))).start();
        byte[] banner = new byte[7];
        int n = p.getInputStream().readNBytes(banner, 0, banner.length);
        assertThat(new String(banner, 0, n, StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0");
        p.getOutputStream().close();
        p.destroy();
        p.waitFor();
        Recording rec = gw.awaitCompleteRecordings(before + 1, Duration.ofSeconds(10)).get(before);
        assertThat(rec.header().tags()).containsEntry("channel", "direct-tcpip");
        assertThat(events(rec)).filteredOn(org.ttyaudit.core.model.MarkerEvent.class::isInstance)
                .extracting(e -> ((org.ttyaudit.core.model.MarkerEvent) e).name())
                .containsExactly("port-forward", "port-forward-closed");
    }

    static List<Event> events(Recording rec) {
        List<Event> out = new ArrayList<>();
        rec.events().forEach(out::add);
        return out;
    }

    static String output(List<Event> events) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        events.stream().filter(OutputEvent.class::isInstance).forEach(e -> b.writeBytes(((OutputEvent) e).data()));
        return b.toString(StandardCharsets.UTF_8);
    }

    static String input(List<Event> events) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        events.stream().filter(InputEvent.class::isInstance).forEach(e -> b.writeBytes(((InputEvent) e).data()));
        return b.toString(StandardCharsets.UTF_8);
    }
}
