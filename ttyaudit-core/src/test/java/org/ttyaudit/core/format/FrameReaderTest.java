package org.ttyaudit.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameReaderTest {
    @TempDir
    Path dir;

    private static List<FrameReader.Frame> readAll(FrameReader r, long limit) throws Exception {
        List<FrameReader.Frame> frames = new ArrayList<>();
        while (r.next(limit) instanceof FrameReader.Frame f) {
            frames.add(f);
        }
        return frames;
    }

    @Test
    void framesComeBackByteForByteAsTheyAreInTheFile() throws Exception {
        Path file = Fixtures.writeSample(dir, true);
        byte[] bytes = Files.readAllBytes(file);
        try (FrameReader r = FrameReader.open(file)) {
            List<FrameReader.Frame> frames = readAll(r, Long.MAX_VALUE);
            assertThat(frames).extracting(FrameReader.Frame::kind).containsExactly(
                    FrameReader.Kind.SESSION_HEADER, FrameReader.Kind.CHUNK, FrameReader.Kind.CHUNK,
                    FrameReader.Kind.CHUNK, FrameReader.Kind.CHUNK, FrameReader.Kind.SESSION_END);
            List<Fixtures.FrameAt> layout = Fixtures.frames(bytes);
            for (int i = 0; i < frames.size(); i++) {
                FrameReader.Frame f = frames.get(i);
                assertThat(f.offset()).isEqualTo(layout.get(i).offset());
                assertThat(f.bytes()).isEqualTo(Arrays.copyOfRange(bytes, layout.get(i).offset(), layout.get(i).end()));
            }
            assertThat(r.position()).isEqualTo(bytes.length);
            assertThat(r.next(Long.MAX_VALUE)).isEqualTo(new FrameReader.Pending(bytes.length, 0));
        }
    }

    @Test
    void readsNothingAtOrBeyondTheLimitAndResumesWhenItGrows() throws Exception {
        Path file = Fixtures.writeSample(dir, true);
        List<Fixtures.FrameAt> layout = Fixtures.frames(Files.readAllBytes(file));
        try (FrameReader r = FrameReader.open(file)) {
            // The limit ends inside chunk 1: header and chunk 0 only, then chunk 1 is pending.
            long limit = layout.get(2).offset() + 10;
            assertThat(readAll(r, limit)).hasSize(2);
            assertThat(r.next(limit)).isEqualTo(new FrameReader.Pending(layout.get(2).offset(), 10));
            assertThat(r.position()).isEqualTo(layout.get(2).offset());
            assertThat(readAll(r, layout.get(3).end())).extracting(FrameReader.Frame::offset)
                    .containsExactly((long) layout.get(2).offset(), (long) layout.get(3).offset());
        }
    }

    @Test
    void followsAFileWhileItIsWritten() throws Exception {
        Path file = dir.resolve("live.tta");
        try (RecordFileWriter w = RecordFileWriter.create(file, Fixtures.header());
             FrameReader r = FrameReader.open(file)) {
            assertThat(readAll(r, w.durableLength())).extracting(FrameReader.Frame::kind)
                    .containsExactly(FrameReader.Kind.SESSION_HEADER);
            assertThat(r.next(w.durableLength())).isInstanceOf(FrameReader.Pending.class);
            Chunk c0 = w.appendChunk(Fixtures.sampleChunks().get(0));
            Chunk c1 = w.appendChunk(Fixtures.sampleChunks().get(1));
            assertThat(w.durableLength()).isEqualTo(Files.size(file));
            List<FrameReader.Frame> chunks = readAll(r, w.durableLength());
            assertThat(chunks).extracting(f -> Chunk.fromBytes(f.body())).containsExactly(c0, c1);
            SessionEndRecord end = w.finish(Fixtures.end());
            FrameReader.Frame last = (FrameReader.Frame) r.next(Files.size(file));
            assertThat(SessionEndRecord.fromBytes(last.body())).isEqualTo(end);
        }
    }

    @Test
    void aTornTailIsPendingNotDamage() throws Exception {
        Path file = Fixtures.writeSample(dir, false);
        long full = Files.size(file);
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(full - 7);
        }
        try (FrameReader r = FrameReader.open(file)) {
            assertThat(readAll(r, Long.MAX_VALUE)).hasSize(4);
            assertThat(r.next(Long.MAX_VALUE)).isInstanceOf(FrameReader.Pending.class);
        }
    }

    @Test
    void aChangedByteInTheMiddleIsDamage() throws Exception {
        Path file = Fixtures.writeSample(dir, true);
        byte[] bytes = Files.readAllBytes(file);
        Fixtures.FrameAt chunk1 = Fixtures.frames(bytes).get(2);
        bytes[chunk1.bodyStart() + 100] ^= 0x01;
        Files.write(file, bytes);
        try (FrameReader r = FrameReader.open(file)) {
            assertThat(readAll(r, Long.MAX_VALUE)).hasSize(2);
            FrameReader.Result damaged = r.next(Long.MAX_VALUE);
            assertThat(damaged).isInstanceOf(FrameReader.Damaged.class);
            assertThat(((FrameReader.Damaged) damaged).offset()).isEqualTo(chunk1.offset());
            assertThat(((FrameReader.Damaged) damaged).what()).contains("CRC mismatch");
        }
    }

    @Test
    void refusesAFileThatIsNotARecord() throws Exception {
        Path file = Files.write(dir.resolve("junk.tta"), "#!/bin/sh\necho hi\n".getBytes());
        assertThatThrownBy(() -> FrameReader.open(file)).isInstanceOf(FormatException.class)
                .hasMessageContaining("bad magic");
        Path empty = Files.write(dir.resolve("empty.tta"), new byte[0]);
        assertThatThrownBy(() -> FrameReader.open(empty)).isInstanceOf(FormatException.class);
    }
}
