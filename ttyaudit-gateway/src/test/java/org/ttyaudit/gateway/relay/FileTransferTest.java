package org.ttyaudit.gateway.relay;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.gateway.testkit.GatewayHarness;
import org.ttyaudit.gateway.testkit.Run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** SFTP and SCP through the gateway with the real OpenSSH clients: files arrive intact and are file events. */
class FileTransferTest {
    @TempDir
    static Path dir;
    static GatewayHarness gw;
    static byte[] content;
    static Path local;

    @BeforeAll
    static void start() throws Exception {
        gw = new GatewayHarness(dir);
        content = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);
        local = Files.write(dir.resolve("local.bin"), content);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void sftpPutAndGetAreWriteAndReadEventsWithTheContentsSha256() throws Exception {
        Path remote = Files.createDirectories(dir.resolve("target-sftp")).resolve("up.bin");
        Path back = dir.resolve("back-sftp.bin");
        Path batch = Files.writeString(dir.resolve("batch"), "put " + local + " " + remote + "\nget " + remote + " "
                + back + "\nrm " + remote + "\n");
        int before = gw.recordings().size();

        Run r = Run.of(sftp(batch), null);

        assertThat(r.exit()).as(r.err()).isEqualTo(0);
        assertThat(Files.readAllBytes(back)).isEqualTo(content);
        List<FileEvent> files = fileEvents(gw.awaitCompleteRecordings(before + 1, Duration.ofSeconds(30)).get(before));
        assertThat(files).extracting(FileEvent::operation, FileEvent::path, FileEvent::bytes, FileEvent::source)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("write", remote.toString(), (long) content.length, "sftp"),
                        org.assertj.core.groups.Tuple.tuple("read", remote.toString(), (long) content.length, "sftp"),
                        org.assertj.core.groups.Tuple.tuple("remove", remote.toString(), null, "sftp"));
        assertThat(files.get(0).sha256()).isEqualTo(sha256(content));
        assertThat(files.get(1).sha256()).isEqualTo(sha256(content));
    }

    @Test
    void scpInBothModesIsRecordedAsFileEventsAndNotAsTerminalOutput() throws Exception {
        Path target = Files.createDirectories(dir.resolve("target-scp"));
        for (String mode : List.of("sftp", "legacy")) {
            Path remote = target.resolve(mode + ".bin");
            Path back = dir.resolve("back-" + mode + ".bin");
            List<String> extra = mode.equals("legacy") ? List.of("-O") : List.of();
            int before = gw.recordings().size();

            Run up = Run.of(scp(extra, local.toString(), "alice%web1@127.0.0.1:" + remote), null);
            Run down = Run.of(scp(extra, "alice%web1@127.0.0.1:" + remote, back.toString()), null);

            assertThat(up.exit()).as(mode + " " + up.err()).isEqualTo(0);
            assertThat(down.exit()).as(mode + " " + down.err()).isEqualTo(0);
            assertThat(Files.readAllBytes(remote)).isEqualTo(content);
            assertThat(Files.readAllBytes(back)).isEqualTo(content);
            List<Recording> recs = gw.awaitCompleteRecordings(before + 2, Duration.ofSeconds(30));
            List<FileEvent> writes = new ArrayList<>(fileEvents(recs.get(before)));
            writes.removeIf(f -> !f.operation().equals("write"));
            List<FileEvent> reads = new ArrayList<>(fileEvents(recs.get(before + 1)));
            reads.removeIf(f -> !f.operation().equals("read"));
            assertThat(writes).as(mode).singleElement().satisfies(f -> {
                assertThat(f.path()).endsWith(mode + ".bin");
                assertThat(f.bytes()).isEqualTo(content.length);
                assertThat(f.sha256()).isEqualTo(sha256(content));
                assertThat(f.source()).isEqualTo(mode.equals("legacy") ? "scp" : "sftp");
            });
            assertThat(reads).as(mode).singleElement().satisfies(f -> assertThat(f.sha256()).isEqualTo(sha256(content)));
            for (Event e : recs.get(before + 1).events()) {
                assertThat(e).as("file content is not kept as terminal output").isNotInstanceOf(OutputEvent.class);
            }
        }
    }

    private static List<String> sftp(Path batch) {
        List<String> cmd = new ArrayList<>(List.of("sftp", "-b", batch.toString()));
        cmd.addAll(gw.fileClientOptions());
        cmd.add("alice%web1@127.0.0.1");
        return cmd;
    }

    private static List<String> scp(List<String> extra, String from, String to) {
        List<String> cmd = new ArrayList<>(List.of("scp", "-q"));
        cmd.addAll(extra);
        cmd.addAll(gw.fileClientOptions());
        cmd.addAll(List.of(from, to));
        return cmd;
    }

    private static List<FileEvent> fileEvents(Recording rec) {
        List<FileEvent> out = new ArrayList<>();
        for (Event e : rec.events()) {
            if (e instanceof FileEvent f) {
                out.add(f);
            }
        }
        return out;
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
