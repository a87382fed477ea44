package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.server.store.AlertRecord;
import org.ttyaudit.server.store.AuditRecord;
import org.ttyaudit.server.store.CommandRecord;
import org.ttyaudit.server.store.SignedHeadRecord;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of forwarded event as the exact ECS document it becomes (field names, nesting, values). */
class EcsMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID SID = UUID.fromString("019ab3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b");
    private static final SessionHeader HEADER = new SessionHeader(new SessionId(SID), "gateway", "alice", 1001,
            "web-1", "/dev/pts/3", "10.0.0.7", "xterm", 80, 24, Instant.parse("2026-11-25T10:00:00Z"),
            List.of("bash", "-l"), "full", "0.1.0", Map.of("target_user", "root"));
    private static final String SESSION = "\"user\":{\"name\":\"alice\",\"id\":\"1001\"},\"host\":{\"name\":\"web-1\"},"
            + "\"source\":{\"ip\":\"10.0.0.7\"},\"ttyaudit\":{\"session\":{\"id\":\"" + SID + "\",\"kind\":\"gateway\"";

    @Test
    void aCommandEndCarriesItsCommandLineDirectoryExitCodeAndDuration() throws Exception {
        CommandRecord started = new CommandRecord(SID, 4, "rm -rf /tmp/x", "/root", "shell-integration",
                Instant.parse("2026-11-25T10:00:01Z"), 1_000_000, null, null, null);
        ForwardedEvent e = EcsMapper.commandEnd(HEADER, 17, new CommandEndEvent(3_250_000, 4, 1), started);

        assertThat(e.id()).isEqualTo(SID + ":17");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-11-25T10:00:03.250Z"));
        assertThat(e.hostName()).isEqualTo("web-1");
        assertThat(e.json()).isEqualTo("{\"@timestamp\":\"2026-11-25T10:00:03.250Z\",\"ecs\":{\"version\":\"8.11.0\"},"
                + "\"event\":{\"id\":\"" + SID + ":17\",\"kind\":\"event\",\"action\":\"command-end\","
                + "\"module\":\"ttyaudit\",\"dataset\":\"ttyaudit.process\",\"category\":[\"process\"],"
                + "\"type\":[\"end\"],\"start\":\"2026-11-25T10:00:01Z\",\"duration\":2250000000,"
                + "\"outcome\":\"failure\"}," + SESSION + "},\"command\":{\"source\":\"shell-integration\",\"id\":4}},"
                + "\"labels\":{\"target_user\":\"root\"},"
                + "\"process\":{\"command_line\":\"rm -rf /tmp/x\",\"working_directory\":\"/root\",\"exit_code\":1}}");
    }

    @Test
    void aCommandStartAndAnExec() {
        ForwardedEvent start = EcsMapper.commandStart(HEADER, 3, new CommandStartEvent(0, 9, "ls", null,
                CommandSource.SCREEN));
        assertThat(start.text("process.command_line")).isEqualTo("ls");
        assertThat(start.document().at("/process/working_directory").isMissingNode()).isTrue();
        assertThat(start.text("ttyaudit.command.source")).isEqualTo(CommandSource.SCREEN.toString());

        ForwardedEvent exec = EcsMapper.exec(HEADER, 4, new ExecEvent(10, 4242, 4000,
                List.of("/usr/bin/grep", "a b", "it's"), "/srv"));
        assertThat(exec.document().get("process").toString()).isEqualTo("{\"pid\":4242,\"parent\":{\"pid\":4000},"
                + "\"args\":[\"/usr/bin/grep\",\"a b\",\"it's\"],\"args_count\":3,"
                + "\"command_line\":\"/usr/bin/grep 'a b' 'it'\\\\''s'\",\"name\":\"grep\","
                + "\"working_directory\":\"/srv\"}");
        assertThat(exec.action()).isEqualTo("exec");
        assertThat(exec.document().at("/event/outcome").isMissingNode()).isTrue();

        ForwardedEvent audited = EcsMapper.exec(HEADER, 5, new ExecEvent(20, 77, 1, List.of("/nope"), "/", 0L, 4242L,
                false, -2));
        assertThat(audited.text("process.real_user.id")).isEqualTo("0");
        assertThat(audited.document().at("/ttyaudit/exec/auid").asLong()).isEqualTo(4242);
        assertThat(audited.document().at("/ttyaudit/exec/exit").asInt()).isEqualTo(-2);
        assertThat(audited.text("event.outcome")).isEqualTo("failure");
    }

    @Test
    void aFileEventUsesEcsFileFields() {
        byte[] sha = new byte[32];
        sha[0] = (byte) 0xab;
        ForwardedEvent e = EcsMapper.file(HEADER, 5, new FileEvent(20, "write", "/etc/hosts", null, 120L, sha,
                "sftp"));
        assertThat(e.action()).isEqualTo("file-write");
        assertThat(e.document().get("file").toString()).isEqualTo("{\"path\":\"/etc/hosts\",\"size\":120,"
                + "\"hash\":{\"sha256\":\"ab" + "0".repeat(62) + "\"}}");
        assertThat(e.document().at("/event/type/0").asText()).isEqualTo("change");
        assertThat(e.text("ttyaudit.file.source")).isEqualTo("sftp");
    }

    @Test
    void sessionStartAndEnd() {
        ForwardedEvent start = EcsMapper.sessionStart(HEADER);
        assertThat(start.id()).isEqualTo(SID + ":start");
        assertThat(start.text("process.command_line")).isEqualTo("bash -l");
        assertThat(start.text("ttyaudit.session.tty")).isEqualTo("/dev/pts/3");

        ForwardedEvent end = EcsMapper.sessionEnd(HEADER, new SessionEnd(Instant.parse("2026-11-25T10:05:00Z"), 130,
                2, "signal"));
        assertThat(end.id()).isEqualTo(SID + ":end");
        assertThat(end.document().at("/process/exit_code").asInt()).isEqualTo(130);
        assertThat(end.document().at("/event/duration").asLong()).isEqualTo(300_000_000_000L);
        assertThat(end.text("ttyaudit.session.end_reason")).isEqualTo("signal");
    }

    @Test
    void aClientAddressThatIsNotAnIpIsSourceAddress() {
        SessionHeader named = new SessionHeader(new SessionId(SID), "recorder", "bob", 1, "db-1", null,
                "jump.example.com", null, 80, 24, Instant.EPOCH, List.of(), "full", "0", Map.of());
        ForwardedEvent e = EcsMapper.sessionStart(named);
        assertThat(e.text("source.address")).isEqualTo("jump.example.com");
        assertThat(e.text("source.ip")).isNull();
        assertThat(e.document().has("labels")).isFalse();
    }

    @Test
    void anAlertIsAnEcsAlertWithItsRule() {
        AlertRecord a = new AlertRecord(UUID.fromString("00000000-0000-7000-8000-000000000001"), SID,
                Instant.parse("2026-11-25T10:00:02Z"), 2_000_000, 4L, "root-shell", "high", "a root shell",
                "command", "sudo -i", List.of("alert", "notify:ops"), 12);
        ForwardedEvent e = EcsMapper.alert(HEADER, a);
        assertThat(e.text("event.kind")).isEqualTo("alert");
        assertThat(e.text("event.dataset")).isEqualTo("ttyaudit.alert");
        assertThat(e.document().at("/event/category/0").asText()).isEqualTo("intrusion_detection");
        assertThat(e.document().at("/event/severity").asInt()).isEqualTo(3);
        assertThat(e.text("rule.name")).isEqualTo("root-shell");
        assertThat(e.text("ttyaudit.alert.matched")).isEqualTo("sudo -i");
        assertThat(e.document().at("/ttyaudit/alert/actions").toString()).isEqualTo("[\"alert\",\"notify:ops\"]");
        assertThat(e.text("user.name")).isEqualTo("alice");
    }

    @Test
    void anAuditEventNamesItsActorActionAndDetail() throws Exception {
        AuditRecord r = new AuditRecord(UUID.fromString("00000000-0000-7000-8000-000000000002"),
                Instant.parse("2026-11-25T11:00:00Z"), "audra", "session.view", SID,
                "{\"address\":\"192.0.2.4\",\"via_token\":\"t1\"}", 40);
        ForwardedEvent e = EcsMapper.audit(r);
        assertThat(e.action()).isEqualTo("session.view");
        assertThat(e.hostName()).isNull();
        assertThat(e.text("user.name")).isEqualTo("audra");
        assertThat(e.text("source.ip")).isEqualTo("192.0.2.4");
        assertThat(e.document().at("/ttyaudit/audit/detail")).isEqualTo(JSON.readTree(
                "{\"address\":\"192.0.2.4\",\"via_token\":\"t1\"}"));
        assertThat(e.text("ttyaudit.session.id")).isEqualTo(SID.toString());
    }

    @Test
    void aSignedHeadCarriesWhatVerifiesItOutsideTheServer() {
        byte[] root = new byte[32];
        root[31] = 1;
        ForwardedEvent e = EcsMapper.treeHead(new SignedHeadRecord(42, root, Instant.parse("2026-11-25T12:00:00Z"),
                "key-1", new byte[] {1, 2, 3}));
        assertThat(e.action()).isEqualTo("tree-head-signed");
        assertThat(e.document().get("ttyaudit").toString()).isEqualTo("{\"ledger\":{\"tree_size\":42,\"root_hash\":\""
                + "0".repeat(62) + "01\",\"signed_at\":\"2026-11-25T12:00:00Z\",\"key_id\":\"key-1\","
                + "\"signature\":\"AQID\"}}");
    }
}
