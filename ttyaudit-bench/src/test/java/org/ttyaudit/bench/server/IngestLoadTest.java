package org.ttyaudit.bench.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The load generator against a real server in this JVM: what it reports is what the server holds. */
class IngestLoadTest {

    @Test
    void liveSessionsAreCommittedEndedAndVerified(@TempDir Path work) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        IngestLoad.Result r = IngestLoad.run(options(work, "live", 6, 2, 1), new PrintStream(printed, true,
                StandardCharsets.UTF_8));

        assertThat(r.failures()).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        // six sessions typing a command a second for two seconds: about twelve chunks
        assertThat(r.chunks()).isGreaterThanOrEqualTo(6);
        assertThat(r.terminalBytes()).isPositive();
        assertThat(r.payloadBytes()).isGreaterThanOrEqualTo(r.terminalBytes());
        assertThat(r.requestLatency().count()).isPositive();
        assertThat(r.sessionsVerified()).isEqualTo(6);
        assertThat(r.sessionsEnded()).isEqualTo(6);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("6 of 6 sessions hold exactly");
    }

    @Test
    void bulkOutputIsCompressedOnTheWire(@TempDir Path work) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        IngestLoad.Result r = IngestLoad.run(options(work, "bulk", 2, 1, 1), new PrintStream(printed, true,
                StandardCharsets.UTF_8));

        assertThat(r.failures()).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(r.chunks()).isPositive();
        // 64 KiB chunks of log-like text: zstd makes the frames several times smaller than the events
        assertThat(r.wireBytes() * 2).isLessThan(r.payloadBytes());
        assertThat(r.sessionsVerified()).isEqualTo(2);
    }

    private static IngestLoad.Options options(Path work, String mode, int sessions, int duration, int hosts) {
        return new IngestLoad.Options(mode, sessions, hosts, duration, 0, 1, 64, 2, Path.of("unused.jar"), List.of(),
                work, true, false, true);
    }
}
