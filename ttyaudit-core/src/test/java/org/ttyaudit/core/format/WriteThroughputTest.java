package org.ttyaudit.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.OutputEvent;

/**
 * A quick sanity check (not a benchmark) that recording 64 KiB chunks of terminal output is fast: prints MB/s for
 * writing (encode, compress, hash, frame, write, fsync per chunk), reading and verifying. No assertion on speed;
 * the machine may be shared.
 */
class WriteThroughputTest {
    @TempDir
    Path dir;

    @Test
    void writingSixtyFourKibChunksOfOutputIsFast() throws Exception {
        List<List<Event>> chunks = terminalLikeChunks(256); // 256 × 64 KiB = 16 MiB
        long bytes = 256L * 64 * 1024;
        long e0 = System.nanoTime();
        ChunkEncoder encoder = new ChunkEncoder(Fixtures.header());
        for (List<Event> chunk : chunks) {
            encoder.seal(chunk);
        }
        long encodeNanos = System.nanoTime() - e0;
        Path file = dir.resolve("speed.tty");
        long t0 = System.nanoTime();
        try (RecordFileWriter w = RecordFileWriter.create(file, Fixtures.header())) {
            for (List<Event> chunk : chunks) {
                w.appendChunk(chunk);
            }
            w.finish(Fixtures.end());
        }
        long t1 = System.nanoTime();
        Recording r = RecordFileReader.open(file);
        long[] seen = {0};
        r.forEachEvent((seq, e) -> seen[0] += ((OutputEvent) e).data().length);
        long t2 = System.nanoTime();
        VerifyReport report = RecordVerifier.verify(file);
        long t3 = System.nanoTime();

        assertThat(seen[0]).isEqualTo(bytes);
        assertThat(report.intact()).isTrue();
        System.out.printf("record format: %d MiB of output -> %d KiB on disk; encode+compress+hash %.0f MB/s, "
                        + "write %.0f MB/s (fsync per chunk), read+decode %.0f MB/s, verify %.0f MB/s%n",
                bytes >> 20, Files.size(file) >> 10, mbps(bytes, encodeNanos), mbps(bytes, t1 - t0),
                mbps(bytes, t2 - t1), mbps(bytes, t3 - t2));
    }

    private static double mbps(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    /** Lines like `ls -l` and log output with varying numbers, 16 events of 4 KiB per chunk. */
    private static List<List<Event>> terminalLikeChunks(int count) {
        Random random = new Random(42);
        List<List<Event>> chunks = new ArrayList<>();
        long offset = 0;
        for (int c = 0; c < count; c++) {
            List<Event> events = new ArrayList<>();
            for (int e = 0; e < 16; e++) {
                StringBuilder b = new StringBuilder(4200);
                while (b.length() < 4096) {
                    b.append("-rw-r--r-- 1 alice staff ").append(random.nextInt(1_000_000)).append(" May ")
                            .append(1 + random.nextInt(28)).append(" file").append(random.nextInt(10_000))
                            .append(".log\r\n");
                }
                byte[] data = b.substring(0, 4096).getBytes(StandardCharsets.US_ASCII);
                offset += random.nextInt(2000);
                events.add(new OutputEvent(offset, data));
            }
            chunks.add(events);
        }
        return chunks;
    }
}
