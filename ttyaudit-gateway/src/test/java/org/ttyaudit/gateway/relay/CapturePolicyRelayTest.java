package org.ttyaudit.gateway.relay;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.policy.BulkRule;
import org.ttyaudit.core.policy.CaptureMode;
import org.ttyaudit.core.policy.CapturePolicy;
import org.ttyaudit.gateway.testkit.GatewayHarness;
import org.ttyaudit.gateway.testkit.Run;
import org.ttyaudit.gateway.testkit.Typist;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.gateway.relay.RelayTest.events;
import static org.ttyaudit.gateway.relay.RelayTest.input;
import static org.ttyaudit.gateway.relay.RelayTest.output;

/**
 * The capture policy of the user and target decides what the record of a relayed session keeps, as on a recorded
 * terminal (docs/CAPTURE.md); the user always gets everything. Real OpenSSH client and sshd.
 */
class CapturePolicyRelayTest {
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
    void commandsModeKeepsTheCommandsFoundOnTheScreenButNoOutputAndNoKeys() throws Exception {
        gw.access.capture("alice", "web1", CapturePolicy.only(CaptureMode.COMMANDS, "test:commands"));
        int before = gw.recordings().size();

        assertThat(shellSession("echo visible-$((6*7))", "visible-42", "exit 4")).isEqualTo(4);
        Run exec = Run.of(gw.ssh("alice%web1", "echo exec-$((2*3))"), null);
        assertThat(exec.out()).isEqualTo("exec-6\n");

        List<Recording> recs = gw.awaitCompleteRecordings(before + 2, Duration.ofSeconds(10));
        for (Recording rec : recs.subList(before, before + 2)) {
            assertThat(rec.header().capture()).isEqualTo("commands");
            List<Event> events = events(rec);
            assertThat(events).noneMatch(e -> e instanceof OutputEvent || e instanceof InputEvent
                    || e instanceof RedactedInputEvent);
        }
        assertThat(commands(recs.get(before))).contains("echo visible-$((6*7))", "exit 4");
        assertThat(commands(recs.get(before + 1))).containsExactly("echo exec-$((2*3))");
        assertThat(recs.get(before).end().orElseThrow().end().exitStatus()).isEqualTo(4);
    }

    @Test
    void outputModeKeepsTheOutputButNoKeys() throws Exception {
        gw.access.capture("alice", "web1", CapturePolicy.only(CaptureMode.OUTPUT, "test:output"));
        int before = gw.recordings().size();

        assertThat(shellSession("echo typed-$((6*7))", "typed-42", "exit")).isZero();

        Recording rec = gw.awaitCompleteRecordings(before + 1, Duration.ofSeconds(10)).get(before);
        assertThat(rec.header().capture()).isEqualTo("output");
        List<Event> events = events(rec);
        assertThat(output(events)).contains("typed-42");
        assertThat(input(events)).isEmpty();
        assertThat(events).noneMatch(e -> e instanceof InputEvent || e instanceof RedactedInputEvent);
        assertThat(commands(rec)).contains("echo typed-$((6*7))");
    }

    @Test
    void theBulkRuleKeepsTheHeadOfAnExecdBulkProgramAndTheUserGetsAll() throws Exception {
        gw.access.capture("alice", "web1", new CapturePolicy(CaptureMode.FULL, null,
                new BulkRule(Set.of("dd", "rsync"), 16 * 1024, BulkRule.Then.DROP), "test:bulk"));
        int before = gw.recordings().size();

        Run r = Run.of(gw.ssh("alice%web1", "LC_ALL=C dd if=/dev/zero bs=1024 count=300 status=none"), null);

        assertThat(r.exit()).isZero();
        assertThat(r.out()).hasSize(300 * 1024);
        Recording rec = gw.awaitCompleteRecordings(before + 1, Duration.ofSeconds(10)).get(before);
        List<Event> events = events(rec);
        assertThat(output(events)).hasSize(16 * 1024);
        assertThat(events).filteredOn(MarkerEvent.class::isInstance).map(e -> (MarkerEvent) e)
                .filteredOn(m -> m.name().equals("output-dropped")).last()
                .extracting(MarkerEvent::detail).isEqualTo("reason=bulk program=dd channel=exec keep_head=16384"
                        + " then=drop seen=307200 kept=16384 dropped=290816 ongoing=false");
        assertThat(commands(rec)).containsExactly("LC_ALL=C dd if=/dev/zero bs=1024 count=300 status=none");
    }

    @Test
    void aProgramTheBulkRuleDoesNotNameIsKeptWhole() throws Exception {
        gw.access.capture("alice", "web1", new CapturePolicy(CaptureMode.FULL, null,
                new BulkRule(Set.of("dd"), 1024, BulkRule.Then.DROP), "test:bulk"));
        int before = gw.recordings().size();

        Run r = Run.of(gw.ssh("alice%web1", "head -c 20000 /dev/zero"), null);

        assertThat(r.out()).hasSize(20000);
        Recording rec = gw.awaitCompleteRecordings(before + 1, Duration.ofSeconds(10)).get(before);
        assertThat(output(events(rec))).hasSize(20000);
        assertThat(events(rec)).noneMatch(e -> e instanceof MarkerEvent m && m.name().equals("output-dropped"));
    }

    /**
     * A shell through a pty: sets a prompt that its own echo does not contain (see RelayTest), types
     * {@code command}, waits for {@code shows} and the next prompt, then types {@code exit}; returns ssh's status.
     */
    private static int shellSession(String command, String shows, String exit) throws Exception {
        Process p = new ProcessBuilder(gw.ssh("alice%web1", List.of("-tt"))).redirectErrorStream(true).start();
        Typist t = new Typist(p);
        t.await(gw.remoteUser.equals("root") ? "# " : "$ ");
        t.type("PS1='prompt$'' '; export PS1\r");
        t.await("prompt$ ");
        t.type(command + "\r");
        t.await(shows);
        t.await("prompt$ ");
        t.type(exit + "\r");
        return p.waitFor();
    }

    private static List<String> commands(Recording rec) {
        return events(rec).stream().filter(CommandStartEvent.class::isInstance)
                .map(e -> ((CommandStartEvent) e).commandLine()).toList();
    }
}
