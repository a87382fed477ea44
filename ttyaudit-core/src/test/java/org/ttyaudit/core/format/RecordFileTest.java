package org.ttyaudit.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.OutputEvent;

class RecordFileTest {
    @TempDir
    Path dir;

    @Test
    void writtenSessionReadsBackWithEveryEventAndItsSeq() throws Exception {
        Path file = Fixtures.writeSample(dir, true);
        Recording r = RecordFileReader.open(file);
        assertThat(r.header()).isEqualTo(Fixtures.header());
        assertThat(r.chunks()).hasSize(4);
        assertThat(r.complete()).isTrue();
        assertThat(r.tornTailBytes()).isZero();
        assertThat(r.problems()).isEmpty();
        assertThat(r.intactLength()).isEqualTo(Files.size(file));
        assertThat(r.end().orElseThrow().eventCount()).isEqualTo(r.eventCount());

        List<String> expected = new ArrayList<>();
        long seq = 0;
        for (List<Event> chunk : Fixtures.sampleChunks()) {
            for (Event e : chunk) {
                expected.add(seq++ + " " + Fixtures.describe(e));
            }
        }
        List<String> seen = new ArrayList<>();
        r.forEachEvent((s, e) -> seen.add(s + " " + Fixtures.describe(e)));
        assertThat(seen).isEqualTo(expected);
    }

    @Test
    void eventsIterateAcrossChunksInTheSameOrderAsTheVisitor() throws Exception {
        Recording r = RecordFileReader.open(Fixtures.writeSample(dir, true));
        List<Event> visited = new ArrayList<>();
        r.forEachEvent((seq, e) -> visited.add(e));
        List<Event> iterated = new ArrayList<>();
        r.events().forEach(iterated::add);
        // Records holding byte arrays compare them by identity: compare kind and time instead.
        assertThat(iterated).hasSize(10).extracting(Event::kind, Event::offsetMicros)
                .isEqualTo(visited.stream().map(e -> org.assertj.core.groups.Tuple.tuple(e.kind(), e.offsetMicros()))
                        .toList());
    }

    @Test
    void buffersGrownForALargeChunkAreGivenBackAndTheRecordStaysWhole() throws Exception {
        Path file = dir.resolve("burst.tty");
        byte[] noise = new byte[1 << 20];
        new Random(7).nextBytes(noise); // incompressible: the frame grows as much as the payload
        try (RecordFileWriter w = RecordFileWriter.create(file, Fixtures.header())) {
            w.appendChunk(List.of(new OutputEvent(1, noise)));
            assertThat(w.bufferedBytes()).as("grown for the burst").isGreaterThan(3L << 20);

            w.releaseBuffers();
            assertThat(w.bufferedBytes()).as("given back").isLessThan(16 * 1024);

            // the chain goes on: later chunks, small and large, grow what they need again
            w.appendChunk(List.of(Fixtures.out(2, "after the burst")));
            w.appendChunk(List.of(new OutputEvent(3, noise)));
            w.releaseBuffers();
            w.appendChunk(List.of(Fixtures.out(4, "quiet again")));
            w.finish(Fixtures.end());
        }
        VerifyReport report = RecordVerifier.verify(file);
        assertThat(report.problems()).isEmpty();
        assertThat(report.summary()).isEqualTo("intact, complete: 4 chunks, 4 events");
        List<Event> events = new ArrayList<>();
        RecordFileReader.open(file).events().forEach(events::add);
        assertThat(((OutputEvent) events.get(2)).data()).isEqualTo(noise);
    }

    @Test
    void headersWrittenUnsyncedAreReadableAndBecomeDurableWithTheNextSync() throws Exception {
        Path file = dir.resolve("unsynced.tty");
        try (RecordFileWriter w = RecordFileWriter.createUnsynced(file, Fixtures.header())) {
            assertThat(w.durableLength()).isZero();
            assertThat(RecordFileReader.open(file).header()).isEqualTo(Fixtures.header());
            w.sync();
            assertThat(w.durableLength()).isEqualTo(Files.size(file));
            w.appendChunk(Fixtures.sampleChunks().get(0));
            assertThat(w.durableLength()).isEqualTo(Files.size(file));
        }
        assertThat(RecordFileReader.open(file).chunks()).hasSize(1);
        assertThatThrownBy(() -> RecordFileWriter.createUnsynced(file, Fixtures.header()))
                .isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void writerReturnsTheChunksAsTheReaderSeesThem() throws Exception {
        Path file = dir.resolve("s.tty");
        List<Chunk> written = new ArrayList<>();
        try (RecordFileWriter w = RecordFileWriter.create(file, Fixtures.header())) {
            for (List<Event> chunk : Fixtures.sampleChunks()) {
                written.add(w.appendChunk(chunk));
            }
            assertThat(w.chunkCount()).isEqualTo(4);
            assertThat(w.eventCount()).isEqualTo(10);
            w.finish(Fixtures.end());
        }
        assertThat(RecordFileReader.open(file).chunks()).isEqualTo(written);
    }

    @Test
    void createRefusesToOverwriteAnExistingFile() throws Exception {
        Path file = Fixtures.write(dir, "exists.tty", new byte[]{1, 2, 3});
        assertThatThrownBy(() -> RecordFileWriter.create(file, Fixtures.header()))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Fixtures.read(file)).containsExactly(1, 2, 3);
    }

    @Test
    void closeWithoutFinishLeavesAReadableIncompleteRecord() throws Exception {
        Path file = Fixtures.writeSample(dir, false);
        Recording r = RecordFileReader.open(file);
        assertThat(r.chunks()).hasSize(4);
        assertThat(r.complete()).isFalse();
        assertThat(r.end()).isEmpty();
        assertThat(r.tornTailBytes()).isZero();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void sessionWithoutChunksIsValid() throws Exception {
        Path file = dir.resolve("empty.tty");
        try (RecordFileWriter w = RecordFileWriter.create(file, Fixtures.header())) {
            w.finish(Fixtures.end());
        }
        Recording r = RecordFileReader.open(file);
        assertThat(r.chunks()).isEmpty();
        assertThat(r.end().orElseThrow().finalHash()).isEqualTo(r.headerHash());
        assertThat(RecordVerifier.verify(file).intact()).isTrue();
    }

    @Test
    void writerRefusesUseAfterFinishOrClose() throws Exception {
        Path file = dir.resolve("s.tty");
        RecordFileWriter w = RecordFileWriter.create(file, Fixtures.header());
        w.finish(Fixtures.end());
        assertThatThrownBy(() -> w.appendChunk(List.of(Fixtures.out(0, "x"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        w.close();
    }

    @Test
    void rejectedEventsWriteNothing() throws Exception {
        Path file = dir.resolve("s.tty");
        try (RecordFileWriter w = RecordFileWriter.create(file, Fixtures.header())) {
            w.appendChunk(List.of(Fixtures.out(10, "a")));
            long size = Files.size(file);
            assertThatThrownBy(() -> w.appendChunk(List.of(Fixtures.out(5, "b"))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(Files.size(file)).isEqualTo(size);
            w.appendChunk(List.of(Fixtures.out(10, "c")));
        }
        assertThat(RecordVerifier.verify(file).intact()).isTrue();
    }

    @Test
    void tornTailIsCutAndCounted() throws Exception {
        byte[] full = Fixtures.read(Fixtures.writeSample(dir, true));
        List<Fixtures.FrameAt> frames = Fixtures.frames(full);
        Fixtures.FrameAt lastChunk = frames.get(frames.size() - 2);
        int cut = lastChunk.offset() + 7; // inside the last chunk frame
        Recording r = RecordFileReader.open(Fixtures.write(dir, "torn.tty", Arrays.copyOf(full, cut)));
        assertThat(r.chunks()).hasSize(3);
        assertThat(r.tornTailBytes()).isEqualTo(7);
        assertThat(r.intactLength()).isEqualTo(lastChunk.offset());
        assertThat(r.complete()).isFalse();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void partialLengthFieldIsATornTail() throws Exception {
        byte[] full = Fixtures.read(Fixtures.writeSample(dir, false));
        Recording r = RecordFileReader.open(Fixtures.write(dir, "t.tty", full));
        byte[] withStub = Arrays.copyOf(full, full.length + 3); // 3 zero bytes of a next length field
        Recording torn = RecordFileReader.open(Fixtures.write(dir, "t2.tty", withStub));
        assertThat(torn.chunks()).isEqualTo(r.chunks());
        assertThat(torn.tornTailBytes()).isEqualTo(3);
    }

    @Test
    void damageInTheMiddleStopsReadingAndIsReported() throws Exception {
        byte[] full = Fixtures.read(Fixtures.writeSample(dir, true));
        Fixtures.FrameAt second = Fixtures.frames(full).get(2);
        full[second.bodyStart() + 70] ^= 0x40;
        Recording r = RecordFileReader.open(Fixtures.write(dir, "bad.tty", full));
        assertThat(r.chunks()).hasSize(1);
        assertThat(r.problems()).containsExactly("frame at byte " + second.offset()
                + " is damaged (CRC mismatch); reading stopped there");
        assertThat(r.tornTailBytes()).isZero();
    }

    @Test
    void notARecordIsAClearError() throws Exception {
        Path text = Fixtures.write(dir, "notes.txt", "hello world, this is text\n".getBytes());
        assertThatThrownBy(() -> RecordFileReader.open(text)).isInstanceOf(FormatException.class)
                .hasMessage("not a ttyaudit record: bad magic at byte 0");
        byte[] future = Fixtures.read(Fixtures.writeSample(dir, true));
        future[11] = 2;
        assertThatThrownBy(() -> RecordFileReader.open(Fixtures.write(dir, "v2.tty", future)))
                .isInstanceOf(FormatException.class)
                .hasMessage("unsupported record format version 2 (this program reads version 1)");
        assertThatThrownBy(() -> RecordFileReader.open(Fixtures.write(dir, "empty.tty", new byte[0])))
                .isInstanceOf(FormatException.class)
                .hasMessage("truncated: the file ends inside the file header (0 of 12 bytes)");
    }

    @Test
    void unknownFrameTypesAreSkippedByTheReader() throws Exception {
        byte[] full = Fixtures.read(Fixtures.writeSample(dir, false));
        byte[] extra = {0, 0, 0, 2, 9, 'h', 'i', 0, 0, 0, 0};
        Fixtures.fixCrc(extra, new Fixtures.FrameAt(0, 2, 9));
        byte[] withExtra = Arrays.copyOf(full, full.length + extra.length);
        System.arraycopy(extra, 0, withExtra, full.length, extra.length);
        Recording r = RecordFileReader.open(Fixtures.write(dir, "x.tty", withExtra));
        assertThat(r.chunks()).hasSize(4);
        assertThat(r.problems()).isEmpty();
        assertThat(r.intactLength()).isEqualTo(withExtra.length);
    }
}
