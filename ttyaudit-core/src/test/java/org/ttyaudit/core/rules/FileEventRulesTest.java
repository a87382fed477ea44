package org.ttyaudit.core.rules;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.ttyaudit.core.rules.DefaultPackTest.ALICE;
import static org.ttyaudit.core.rules.DefaultPackTest.BOB_VIA_GATEWAY;
import static org.ttyaudit.core.rules.DefaultPackTest.fileEvent;

/** Rules over file events (the SSH gateway's SFTP and SCP transfers): which blocks see them, paths, ops, dedupe. */
class FileEventRulesTest {

    private static SessionRules rules(String yaml, SessionFacts facts) {
        return RuleSet.parse(yaml, "test.yaml", false).forSession(facts);
    }

    private static String fileRule(String file) {
        return "rules:\n  - name: r\n    severity: high\n    match:\n      file: " + file + "\n";
    }

    private static List<String> names(List<RuleMatch> matches) {
        return matches.stream().map(m -> m.rule().name()).toList();
    }

    @Test
    void anSftpUploadToSudoersRaisesTheSameAlertAsEditingIt() {
        SessionRules s = RuleSet.defaultPack().forSession(BOB_VIA_GATEWAY);
        byte[] sha = new byte[32];
        List<RuleMatch> m = s.evaluate(new FileEvent(7_000, "write", "/etc/sudoers", null, 120L, sha, "sftp"));
        assertThat(m).extracting(x -> x.rule().name(), RuleMatch::trigger, RuleMatch::matched,
                RuleMatch::offsetMicros, RuleMatch::commandId)
                .containsExactly(tuple("auth-file-modified", "file", "/etc/sudoers", 7_000L, null));
    }

    @Test
    void relativePathsAreUnderTheTargetUsersHomeAndNamedResolved() {
        String yaml = fileRule("{path: /home/bob/notes/*.txt, op: write}");
        assertThat(rules(yaml, BOB_VIA_GATEWAY).evaluate(fileEvent(1, "write notes/a.txt")))
                .extracting(RuleMatch::matched).containsExactly("/home/bob/notes/a.txt");
        // without a target user (a recorder session), the session's own user's home
        assertThat(rules(yaml, ALICE).evaluate(fileEvent(1, "write notes/a.txt"))).isEmpty();
        assertThat(rules(fileRule("/home/alice/notes/a.txt"), ALICE).evaluate(fileEvent(1, "write notes/a.txt")))
                .hasSize(1);
        // root's home is /root
        SessionFacts root = new SessionFacts("gateway", "alice", List.of(), "h", null, ALICE.startedAt(), "root");
        assertThat(rules(fileRule("~/.profile"), root).evaluate(fileEvent(1, "write .profile")))
                .extracting(RuleMatch::matched).containsExactly("/root/.profile");
    }

    @Test
    void aRenameDeletesItsSourceAndWritesItsTarget() {
        String deleted = fileRule("{path: /etc/motd, op: delete}");
        String written = fileRule("{path: /etc/motd, op: write}");
        String read = fileRule("{path: /etc/motd, op: read}");
        assertThat(rules(deleted, ALICE).evaluate(fileEvent(1, "rename /etc/motd -> /tmp/m"))).hasSize(1);
        assertThat(rules(deleted, ALICE).evaluate(fileEvent(1, "rename /tmp/m -> /etc/motd"))).isEmpty();
        assertThat(rules(written, ALICE).evaluate(fileEvent(1, "rename /tmp/m -> /etc/motd")))
                .extracting(RuleMatch::matched).containsExactly("/etc/motd");
        assertThat(rules(read, ALICE).evaluate(fileEvent(1, "rename /etc/motd -> /tmp/m"))).isEmpty();
        assertThat(rules(read, ALICE).evaluate(fileEvent(1, "read /etc/motd"))).hasSize(1);
    }

    @Test
    void anOperationWordMatchesOnlyFileEventsOfThatOperation() {
        String renames = fileRule("{path: '/srv/**', op: rename}");
        assertThat(rules(renames, ALICE).evaluate(fileEvent(1, "rename /srv/a -> /srv/b"))).hasSize(1);
        assertThat(rules(renames, ALICE).evaluate(fileEvent(1, "write /srv/a"))).isEmpty();
        // a command renaming the file is no file event
        assertThat(rules(renames, ALICE).evaluate(new CommandStartEvent(1, 1, "mv /srv/a /srv/b", "/",
                CommandSource.SHELL_INTEGRATION))).isEmpty();
        String setstat = fileRule("{path: /etc/shadow, op: setstat}");
        assertThat(rules(setstat, ALICE).evaluate(fileEvent(1, "setstat /etc/shadow"))).hasSize(1);
        assertThat(rules(setstat, ALICE).evaluate(fileEvent(1, "write /etc/shadow"))).isEmpty();
    }

    @Test
    void anUnknownOperationMatchesOnlyAnyOrItsOwnWord() {
        FileEvent truncate = new FileEvent(1, "truncate", "/etc/passwd", null, null, null, "sftp");
        assertThat(rules(fileRule("{path: /etc/passwd, op: write}"), ALICE).evaluate(truncate)).isEmpty();
        assertThat(rules(fileRule("{path: /etc/passwd, op: delete}"), ALICE).evaluate(truncate)).isEmpty();
        assertThat(rules(fileRule("/etc/passwd"), ALICE).evaluate(truncate)).hasSize(1);
    }

    @Test
    void blocksWithProgramArgvOrCommandConditionsDoNotSeeFileEvents() {
        String yaml = """
                rules:
                  - name: rm-etc
                    severity: high
                    match: {program: rm, file: /etc/motd}
                  - name: cmd-etc
                    severity: high
                    match: {command: motd, file: /etc/motd}
                """;
        assertThat(rules(yaml, ALICE).evaluate(fileEvent(1, "remove /etc/motd"))).isEmpty();
        assertThat(names(rules(yaml, ALICE).evaluate(new CommandStartEvent(1, 1, "rm /etc/motd", "/",
                CommandSource.SHELL_INTEGRATION)))).containsExactly("rm-etc", "cmd-etc");
    }

    @Test
    void anOperationWordWithAProgramConditionIsAnError() {
        assertThatThrownBy(() -> RuleSet.parse(
                "rules:\n  - name: r\n    severity: low\n    match: {program: mv, file: {path: /x, op: rename}}\n",
                "rules.yaml", false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules.yaml:4")
                .hasMessageContaining("file op 'rename' is an operation of file events");
    }

    @Test
    void fileEventsOutsideCommandsFireOncePerSecondPerPathAndOncePerCommandInside() {
        SessionRules s = RuleSet.defaultPack().forSession(BOB_VIA_GATEWAY);
        assertThat(s.evaluate(fileEvent(0, "write /etc/sudoers"))).hasSize(1);
        assertThat(s.evaluate(fileEvent(500_000, "write /etc/sudoers"))).isEmpty();
        assertThat(s.evaluate(fileEvent(600_000, "write /etc/passwd"))).hasSize(1);
        assertThat(s.evaluate(fileEvent(1_000_000, "write /etc/sudoers"))).hasSize(1);
        // an SCP upload: the exec request's command line, then its transfers
        s.evaluate(new CommandStartEvent(2_000_000, 4, "scp -t /etc", null, CommandSource.SSH_EXEC));
        List<RuleMatch> first = s.evaluate(new FileEvent(2_100_000, "write", "/etc/shadow", null, 9L, null, "scp"));
        assertThat(first).extracting(RuleMatch::commandId).containsExactly(4L);
        assertThat(s.evaluate(new FileEvent(2_200_000, "write", "/etc/group", null, 9L, null, "scp"))).isEmpty();
        s.evaluate(new CommandEndEvent(2_300_000, 4, 0));
        assertThat(s.evaluate(fileEvent(2_400_000, "write /etc/group"))).hasSize(1);
    }

    @Test
    void targetUserConditionsMatchTheGatewaysTargetAccount() {
        String yaml = """
                rules:
                  - name: root-uploads
                    severity: high
                    match: {target_user: root, file: {path: '/**', op: write}}
                """;
        SessionFacts root = new SessionFacts("gateway", "alice", List.of(), "h", null, ALICE.startedAt(), "root");
        assertThat(rules(yaml, root).evaluate(fileEvent(1, "write /tmp/x"))).hasSize(1);
        assertThat(rules(yaml, BOB_VIA_GATEWAY).evaluate(fileEvent(1, "write /tmp/x"))).isEmpty();
        // a session without a target user never matches target_user
        SessionFacts localRoot = new SessionFacts("recorder", "root", List.of(), "h", null, ALICE.startedAt());
        assertThat(rules(yaml, localRoot).evaluate(fileEvent(1, "write /tmp/x"))).isEmpty();
    }

    @Test
    void factsOfAGatewayHeaderTakeTheTargetUserFromItsTag() {
        SessionHeader h = new SessionHeader(SessionId.parse("0190f1c0-0000-7000-8000-000000000002"), "gateway",
                "alice", -1, "db-1", null, "10.0.0.9",
                "xterm", 80, 24, Instant.parse("2026-12-01T10:00:00Z"), List.of(), "full", "gw 1",
                Map.of("target_user", "postgres", "target_address", "10.0.0.5:22", "gateway", "gw-1",
                        "channel", "sftp"));
        SessionFacts f = SessionFacts.of(h);
        assertThat(f.targetUser()).isEqualTo("postgres");
        assertThat(f.accountOnHost()).isEqualTo("postgres");
        assertThat(SessionFacts.of(new SessionHeader(SessionId.parse("0190f1c0-0000-7000-8000-000000000003"),
                "recorder", "alice", 1000, "h", null, null,
                "xterm", 80, 24, h.startedAt(), List.of(), "full", "r", Map.of())).targetUser()).isNull();
    }
}
