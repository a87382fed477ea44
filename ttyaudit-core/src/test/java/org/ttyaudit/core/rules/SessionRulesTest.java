package org.ttyaudit.core.rules;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.ttyaudit.core.rules.DefaultPackTest.ALICE;

class SessionRulesTest {

    private static SessionRules rules(String yaml, SessionFacts facts) {
        return RuleSet.parse(yaml, "test.yaml", false).forSession(facts);
    }

    /** A rule file with one output rule, {@code denied}, searching for {@code regex}. */
    private static String outputRule(String regex) {
        return "rules:\n  - name: denied\n    severity: low\n    match: {output: '" + regex + "'}\n";
    }

    private static CommandStartEvent start(long at, long id, String line) {
        return new CommandStartEvent(at, id, line, "/home/alice", CommandSource.SHELL_INTEGRATION);
    }

    private static OutputEvent out(long at, String text) {
        return new OutputEvent(at, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> names(List<RuleMatch> matches) {
        return matches.stream().map(m -> m.rule().name()).toList();
    }

    @Test
    void aRuleFiresOncePerCommandNotAgainForItsExecEvents() {
        SessionRules s = RuleSet.defaultPack().forSession(ALICE);
        assertThat(names(s.evaluate(start(100, 7, "sudo -n true")))).containsExactly("sudo-use");
        assertThat(s.evaluate(new ExecEvent(200, 10, 1, List.of("sudo", "-n", "true"), "/"))).isEmpty();
        s.evaluate(new CommandEndEvent(300, 7, 0));
        // the process sampler lags: an exec event shortly after the end still belongs to command 7
        assertThat(s.evaluate(new ExecEvent(900_000, 11, 1, List.of("sudo", "-n", "true"), "/"))).isEmpty();
        // a new command fires again
        List<RuleMatch> again = s.evaluate(start(2_000_000, 8, "sudo -n true"));
        assertThat(names(again)).containsExactly("sudo-use");
        assertThat(again.get(0).commandId()).isEqualTo(8L);
    }

    @Test
    void outsideCommandsTheSameMatchFiresAtMostOncePerSecond() {
        SessionRules s = RuleSet.defaultPack().forSession(ALICE);
        List<String> argv = List.of("/usr/bin/sudo", "id");
        assertThat(s.evaluate(new ExecEvent(0, 1, 1, argv, "/"))).hasSize(1);
        assertThat(s.evaluate(new ExecEvent(500_000, 2, 1, argv, "/"))).isEmpty();
        assertThat(s.evaluate(new ExecEvent(600_000, 3, 1, List.of("/usr/bin/sudo", "ls"), "/"))).hasSize(1);
        assertThat(s.evaluate(new ExecEvent(1_000_001, 4, 1, argv, "/"))).hasSize(1);
    }

    @Test
    void outputPatternsSplitAcrossEventsAreFoundOnceAndEscapesAreIgnored() {
        SessionRules s = rules(outputRule("Permission denied"), ALICE);
        assertThat(s.evaluate(out(1, "ls: cannot open: Permiss"))).isEmpty();
        List<RuleMatch> m = s.evaluate(out(2, "ion \u001b[1;31mden\u001b]0;title\u0007ied\r\n")); 
        assertThat(m).extracting(RuleMatch::matched).containsExactly("Permission denied");
        assertThat(m.get(0).trigger()).isEqualTo("output");
        // the same bytes are in the carried text now; more output must not report them again
        assertThat(s.evaluate(out(3, "$ "))).isEmpty();
        assertThat(s.evaluate(out(2_000_000, "x"))).isEmpty();
        // a new occurrence, more than a second later, fires
        assertThat(s.evaluate(out(3_000_000, "Permission denied"))).hasSize(1);
    }

    @Test
    void aUtf8CharacterSplitAcrossOutputEventsIsMatched() {
        SessionRules s = rules("""
                rules:
                  - name: umlaut
                    severity: info
                    match: {output: 'Größe'}
                """, ALICE);
        byte[] b = "Größe".getBytes(StandardCharsets.UTF_8);
        assertThat(s.evaluate(new OutputEvent(1, java.util.Arrays.copyOf(b, 3)))).isEmpty();
        assertThat(s.evaluate(new OutputEvent(2, java.util.Arrays.copyOfRange(b, 3, b.length)))).hasSize(1);
    }

    @Test
    void outputRulesFireOncePerCommand() {
        SessionRules s = rules(outputRule("denied"), ALICE);
        s.evaluate(start(0, 1, "make"));
        assertThat(s.evaluate(out(1, "denied\n"))).singleElement().extracting(RuleMatch::commandId).isEqualTo(1L);
        assertThat(s.evaluate(out(3_000_000, "denied again\n"))).isEmpty();
    }

    @Test
    void outputReportedJustAfterTheCommandsEndBelongsToIt() {
        SessionRules s = rules(outputRule("denied"), ALICE);
        s.evaluate(start(0, 1, "make"));
        s.evaluate(new CommandEndEvent(1_000, 1, 1));
        // the recorder read "denied\r\n$ " and the end marker together, and reported the end first
        assertThat(s.evaluate(out(1_050, "denied\r\n$ "))).singleElement().extracting(RuleMatch::commandId)
                .isEqualTo(1L);
        // later output (the next prompt, typing) is outside the command
        assertThat(s.evaluate(out(500_000, "denied"))).singleElement().extracting(RuleMatch::commandId).isNull();
    }

    @Test
    void contextOnlyRulesFireAtTheStartOnce() {
        String yaml = """
                rules:
                  - name: root-from-outside
                    severity: high
                    match: {user: root, client: ['10.0.0.0/8', '192.168.*']}
                """;
        SessionFacts root = new SessionFacts("recorder", "root", List.of(), "db-1", "10.9.8.7", ALICE.startedAt());
        SessionRules s = rules(yaml, root);
        List<RuleMatch> m = s.start();
        assertThat(m).singleElement().satisfies(x -> {
            assertThat(x.trigger()).isEqualTo("session");
            assertThat(x.matched()).isEqualTo("root@db-1 from 10.9.8.7");
            assertThat(x.commandId()).isNull();
        });
        assertThat(s.start()).isEmpty();
        assertThat(rules(yaml, ALICE).start()).isEmpty();
        assertThat(rules(yaml, new SessionFacts("recorder", "root", List.of(), "db-1", "172.16.0.1",
                ALICE.startedAt())).start()).isEmpty();
        assertThat(rules(yaml, new SessionFacts("recorder", "root", List.of(), "db-1", "192.168.1.1",
                ALICE.startedAt())).start()).hasSize(1);
    }

    @Test
    void userGroupAndHostConditionsLimitCommandRules() {
        String yaml = """
                rules:
                  - name: prod-db-shell
                    severity: high
                    match: {program: [psql, mysql], argv: '--host=prod', group: [dba], host: 'db-*'}
                """;
        SessionFacts dba = new SessionFacts("recorder", "bob", List.of("staff", "dba"), "db-7", null,
                ALICE.startedAt());
        assertThat(rules(yaml, dba).evaluate(start(1, 1, "psql --host=prod -U app"))).hasSize(1);
        assertThat(rules(yaml, dba).evaluate(start(1, 1, "psql --host=test -U app"))).isEmpty();
        assertThat(rules(yaml, ALICE).evaluate(start(1, 1, "psql --host=prod -U app"))).isEmpty();
    }

    @Test
    void timeOfDayIsTheEventsTime() {
        String yaml = """
                rules:
                  - name: night-work
                    severity: info
                    match: {program: reboot, time: {from: '22:00', to: '06:00', zone: Europe/Berlin}}
                """;
        // session starts 20:30 Berlin (19:30 UTC); a reboot two hours later is at 22:30 Berlin
        SessionFacts evening = new SessionFacts("recorder", "alice", List.of(), "h", null,
                Instant.parse("2026-12-01T19:30:00Z"));
        SessionRules s = rules(yaml, evening);
        assertThat(s.evaluate(start(60_000_000L, 1, "reboot"))).isEmpty();
        assertThat(s.evaluate(start(2 * 3600_000_000L, 2, "reboot"))).hasSize(1);
    }

    @Test
    void commandRegexAndGlobAndEventsOfOtherKinds() {
        SessionRules s = rules("""
                rules:
                  - name: psql
                    severity: medium
                    match: {command: 'psql\\b.*prod', command_glob: 'psql *'}
                """, ALICE);
        assertThat(s.evaluate(new InputEvent(1, "psql prod\r".getBytes(StandardCharsets.UTF_8)))).isEmpty();
        assertThat(s.evaluate(start(2, 1, "psql -h prod"))).singleElement()
                .extracting(RuleMatch::matched).isEqualTo("psql -h prod");
        assertThat(s.evaluate(start(3, 2, "echo psql -h prod"))).isEmpty();
    }

    @Test
    void matchedTextIsCutAt512Characters() {
        SessionRules s = RuleSet.defaultPack().forSession(ALICE);
        String line = "sudo echo " + "x".repeat(20_000);
        assertThat(s.evaluate(start(1, 1, line)).get(0).matched()).hasSize(512);
    }

    @Test
    void factsOfAHeaderTakeGroupsFromItsTag() {
        SessionHeader h = new SessionHeader(SessionId.parse("0190f1c0-0000-7000-8000-000000000001"), "recorder", "bob", 1000, "h", "/dev/pts/1",
                "10.0.0.1", "xterm", 80, 24, ALICE.startedAt(), List.of("bash"), "full", "1", Map.of("groups",
                "staff, dba,"));
        SessionFacts f = SessionFacts.of(h);
        assertThat(f.groups()).containsExactly("staff", "dba");
        assertThat(f.clientAddress()).isEqualTo("10.0.0.1");
    }

    /**
     * Guards against super-linear analysis of hostile command lines, not against the constant factor: that is
     * measured by {@code RulesBenchmark.evaluateHostileInput} in ttyaudit-bench. The inputs are 10 million
     * characters, so linear work takes about a second while the quadratic behaviour each of them once showed
     * would take hours: a 30 s watchdog cannot be reached by a loaded machine running linear code, yet still
     * catches such a regression (a wall-clock limit near the real figure flaked on a loaded CI machine).
     */
    @Test
    void hostileInputStaysCheap() {
        SessionRules s = RuleSet.defaultPack().forSession(ALICE);
        String line = "curl " + "a ".repeat(5_000_000);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            s.evaluate(start(1, 1, line));
            s.evaluate(new ExecEvent(2, 1, 1, List.of("curl", line), "/"));
            // a match may start at every word, and every word an operand: each of these was once quadratic
            for (String unit : List.of("curl ", "rm -rf / ", "sudo ", "bash -c '", "$(", "_ta", "a | ")) {
                s.evaluate(start(3, 2, unit.repeat(10_000_000 / unit.length())));
            }
        }, "rule evaluation of hostile input grows faster than linearly");
    }
}
