package org.ttyaudit.core.interop.audit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class AuditLogReaderTest {
    /**
     * Captured from a real auditd (Debian 3.0.9, log_format ENRICHED) on the build machine: rules on execve, opens
     * for writing and file-changing syscalls for auid 4242; "sh -c 'echo 4242 > /proc/self/loginuid; …'" started
     * audit session 2 and ran a bash script there (touch, echo >, mv, chmod, mkdir, rmdir, rm, a builtin printf,
     * /bin/echo with a quote), then session 3 ran "sudo -u nobody /bin/true 'arg with space'".
     */
    static final String SAMPLE = "auditd-enriched.log";

    static List<AuditEvent> sample() throws IOException {
        try (Reader r = new InputStreamReader(Objects.requireNonNull(
                AuditLogReaderTest.class.getResourceAsStream(SAMPLE)), StandardCharsets.UTF_8)) {
            return AuditLogReader.read(r, SAMPLE);
        }
    }

    @Test
    void execsOfTheRealCaptureCarryArgvCwdAndIds() throws IOException {
        List<AuditActivity.Exec> execs = AuditActivities.of(sample()).activities().stream()
                .filter(a -> a instanceof AuditActivity.Exec && a.ses() == 2).map(a -> (AuditActivity.Exec) a).toList();
        assertThat(execs).extracting(AuditActivity.Exec::commandLine).contains(
                "cat /proc/self/sessionid", "ls -la", "touch 'with space.txt'", "mv plain.txt moved.txt",
                "chmod 600 moved.txt", "mkdir d", "rmdir d", "rm 'with space.txt'",
                "/bin/echo 'it'\\''s' x");
        AuditActivity.Exec ls = execs.stream().filter(e -> e.argv().equals(List.of("ls", "-la"))).findFirst().orElseThrow();
        assertThat(ls.cwd()).isEqualTo("/tmp/auditcap/work");
        assertThat(ls.auid()).isEqualTo(4242L);
        assertThat(ls.uid()).isEqualTo(0L);
        assertThat(ls.success()).isTrue();
        assertThat(ls.pid()).isPositive();
        assertThat(ls.ppid()).isPositive().isNotEqualTo(ls.pid());
        assertThat(ls.at()).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
        // the bash script itself was one argument with spaces and quotes, written in hex
        assertThat(execs).anySatisfy(e -> assertThat(e.argv()).hasSize(4).startsWith("bash", "--norc", "-c")
                .last().asString().contains("touch \"with space.txt\"; echo hi > plain.txt", "\"ü\" \"q\\\"t\""));
    }

    @Test
    void fileChangesOfTheRealCapture() throws IOException {
        List<AuditActivity> activities = AuditActivities.of(sample()).activities();
        assertThat(activities).filteredOn(a -> a instanceof AuditActivity.FileChange && a.ses() == 2)
                .map(a -> (AuditActivity.FileChange) a)
                .extracting(AuditActivity.FileChange::operation, AuditActivity.FileChange::path,
                        AuditActivity.FileChange::targetPath)
                .contains(tuple("write", "/tmp/auditcap/ses", null),
                        tuple("write", "/tmp/auditcap/work/with space.txt", null),
                        tuple("write", "/tmp/auditcap/work/plain.txt", null),
                        tuple("rename", "/tmp/auditcap/work/plain.txt", "/tmp/auditcap/work/moved.txt"),
                        tuple("setstat", "/tmp/auditcap/work/moved.txt", null),
                        tuple("mkdir", "/tmp/auditcap/work/d", null),
                        tuple("rmdir", "/tmp/auditcap/work/d", null),
                        tuple("remove", "/tmp/auditcap/work/with space.txt", null));
    }

    @Test
    void sudoCommandOfTheRealCapture() throws IOException {
        assertThat(AuditActivities.of(sample()).activities()).filteredOn(a -> a instanceof AuditActivity.SudoCommand)
                .singleElement().isInstanceOfSatisfying(AuditActivity.SudoCommand.class, s -> {
                    assertThat(s.ses()).isEqualTo(3);
                    assertThat(s.command()).isEqualTo("/bin/true arg with space");
                    assertThat(s.cwd()).isEqualTo("/tmp/auditcap/work");
                    assertThat(s.result()).isEqualTo("success");
                    assertThat(s.terminal()).isNull();
                });
    }

    @Test
    void unknownTypesAreCounted() throws IOException {
        assertThat(AuditActivities.of(sample()).skipped()).containsKeys("PROCTITLE", "CONFIG_CHANGE", "LOGIN");
    }

    @Test
    void rawFormatInterleavedEventsAndEoe() throws IOException {
        String log = """
                type=SYSCALL msg=audit(1700000000.123:40): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=10 pid=11 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=7 comm="grep" exe="/usr/bin/grep" key=(null)
                type=SYSCALL msg=audit(1700000000.124:41): arch=c000003e syscall=87 success=yes exit=0 a0=5 a1=0 a2=0 a3=0 items=2 ppid=10 pid=12 auid=1000 uid=1000 ses=7 comm="rm" exe="/usr/bin/rm" key=(null)
                type=EXECVE msg=audit(1700000000.123:40): argc=3 a0="grep" a1_len=5 a1[0]=6120 a1[1]="b;c" a2=2F746D702F78
                type=CWD msg=audit(1700000000.124:41): cwd=2F686F6D652F6120622F
                type=PATH msg=audit(1700000000.124:41): item=0 name="/home/a b/" inode=1 dev=fe:00 mode=040755 nametype=PARENT
                type=PATH msg=audit(1700000000.124:41): item=1 name="old.log" inode=2 dev=fe:00 mode=0100644 nametype=DELETE
                type=EOE msg=audit(1700000000.124:41):
                type=CWD msg=audit(1700000000.123:40): cwd="/srv"
                type=TTY msg=audit(1700000001.000:42): tty pid=3517 uid=0 auid=0 ses=7 major=136 minor=0 comm="bash" data=6C73202D6C610D
                """;
        List<AuditEvent> events = AuditLogReader.read(new StringReader(log), "t.log");
        assertThat(events).extracting(AuditEvent::serial).containsExactly(40L, 41L, 42L);
        assertThat(events.get(0).records()).extracting(AuditRecord::type).containsExactly("SYSCALL", "EXECVE", "CWD");
        assertThat(events.get(2).first("TTY").text("data")).isEqualTo("ls -la\r");
        AuditActivities.Result result = AuditActivities.of(events);
        assertThat(result.activities()).hasSize(2);
        assertThat(result.activities().get(0)).isInstanceOfSatisfying(AuditActivity.Exec.class, e -> {
            assertThat(e.argv()).containsExactly("grep", "a b;c", "/tmp/x");
            assertThat(e.cwd()).isEqualTo("/srv");
            assertThat(e.at()).isEqualTo(Instant.parse("2023-11-14T22:13:20.123Z"));
            assertThat(e.ses()).isEqualTo(7);
        });
        assertThat(result.activities().get(1)).isEqualTo(new AuditActivity.FileChange(
                Instant.parse("2023-11-14T22:13:20.124Z"), 41, 7, 1000L, 12, "remove", "/home/a b/old.log", null, "unlink"));
        assertThat(result.skipped()).containsEntry("TTY", 1);
    }

    @Test
    void aLongArgvSplitOverSeveralExecveRecordsIsJoined() throws IOException {
        String log = """
                type=SYSCALL msg=audit(1700000000.000:3): arch=c000003e syscall=59 success=yes exit=0 ppid=1 pid=2 auid=0 uid=0 ses=1
                type=EXECVE msg=audit(1700000000.000:3): argc=3 a0="printf" a1_len=8 a1[0]=41414141
                type=EXECVE msg=audit(1700000000.000:3): a1[1]=42424242
                type=EXECVE msg=audit(1700000000.000:3): a2="end"
                """;
        AuditActivities.Result result = AuditActivities.of(AuditLogReader.read(new StringReader(log), "t.log"));
        assertThat(result.activities()).singleElement().isInstanceOfSatisfying(AuditActivity.Exec.class,
                e -> assertThat(e.argv()).containsExactly("printf", "AAAABBBB", "end"));
    }

    @Test
    void readsAFailedOpenAsSkippedAndAReadOnlyOpenAsNothing() throws IOException {
        String log = """
                type=SYSCALL msg=audit(1700000000.000:1): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=1 a2=241 a3=1b6 items=1 ppid=1 pid=2 auid=0 uid=0 ses=1
                type=PATH msg=audit(1700000000.000:1): item=0 name="/etc/shadow" nametype=NORMAL
                type=SYSCALL msg=audit(1700000000.000:2): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=1 a2=0 a3=0 items=1 ppid=1 pid=2 auid=0 uid=0 ses=1
                type=PATH msg=audit(1700000000.000:2): item=0 name="/etc/passwd" nametype=NORMAL
                """;
        AuditActivities.Result result = AuditActivities.of(AuditLogReader.read(new StringReader(log), "t.log"));
        assertThat(result.activities()).isEmpty();
        assertThat(result.skipped()).containsEntry("failed-syscall", 1);
    }

    @Test
    void ausearchSeparatorsAndNodePrefixAreAccepted() throws IOException {
        String log = "----\ntime->Tue Nov 14 22:13:20 2023\n"
                + "node=web-1 type=USER_CMD msg=audit(1700000000.500:9): pid=1 uid=0 auid=1000 ses=4 "
                + "msg='cwd=\"/root\" cmd=6C73202F726F6F74 exe=\"/usr/bin/sudo\" terminal=pts/1 res=success'\n";
        List<AuditEvent> events = AuditLogReader.read(new StringReader(log), "t.log");
        assertThat(events).singleElement().satisfies(e -> assertThat(e.records().get(0).node()).isEqualTo("web-1"));
        assertThat(AuditActivities.of(events).activities()).containsExactly(new AuditActivity.SudoCommand(
                Instant.parse("2023-11-14T22:13:20.500Z"), 9, 4, 1000L, 1, "ls /root", "/root", "pts/1", "success"));
    }

    @Test
    void malformedLinesNameTheLine() {
        assertThatThrownBy(() -> AuditLogReader.read(new StringReader("\nhello world\n"), "a.log"))
                .isInstanceOf(AuditLogException.class)
                .hasMessage("a.log: line 2: not an audit record (it should start with \"type=\"): hello world");
        assertThatThrownBy(() -> AuditLogReader.read(new StringReader("type=SYSCALL msg=audit(17:1): x=1\n"), "a.log"))
                .hasMessage("a.log: line 1: no \"msg=audit(SECONDS.MILLIS:SERIAL):\" after the type");
        assertThatThrownBy(() -> AuditLogReader.read(
                new StringReader("type=CWD msg=audit(1.000:1): cwd=\"/tmp\ntype=CWD msg=audit(1.000:1): cwd=\"/x\"\n"), "a.log"))
                .hasMessage("a.log: line 1: the value of cwd has no closing quote");
    }
}
