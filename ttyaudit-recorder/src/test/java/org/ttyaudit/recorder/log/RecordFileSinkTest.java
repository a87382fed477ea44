package org.ttyaudit.recorder.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.recorder.upload.TestRecords;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordFileSinkTest {
    @TempDir
    Path dir;

    /** Remembers what it is told. */
    private static final class Progress implements DurableProgress {
        final List<Long> durable = new ArrayList<>();

        @Override
        public void durable(long length) {
            durable.add(length);
        }

        @Override
        public void closed() {
        }
    }

    @Test
    void theHeadersAreDurableOnlyOnceTheWriterThreadStartsTheSink() throws Exception {
        Path file = dir.resolve("s.tta");
        Progress progress = new Progress();
        SessionId id = TestRecords.newId();
        try (RecordFileSink sink = RecordFileSink.create(file, TestRecords.header(id), progress)) {
            // Created before the shell starts: the file exists with its headers, but nothing waited for the disk.
            assertThat(progress.durable).isEmpty();
            assertThat(RecordFileReader.open(file).header().sessionId()).isEqualTo(id);
            sink.start();
            assertThat(progress.durable).containsExactly(Files.size(file));
            sink.writeChunk(List.of(new OutputEvent(10, "hi".getBytes())));
            assertThat(progress.durable).hasSize(2).last().isEqualTo(Files.size(file));
        }
    }

    @Test
    void aSessionLogStartsItsSinkBeforeTheFirstChunk() throws Exception {
        Path file = dir.resolve("log.tta");
        Progress progress = new Progress();
        SessionLog log = SessionLog.withDefaults(RecordFileSink.create(file, TestRecords.header(TestRecords.newId()),
                progress), System.nanoTime());
        log.append(t -> new OutputEvent(t, "out".getBytes()));
        log.close();
        long headersOnly = progress.durable.get(0);
        assertThat(progress.durable).hasSizeGreaterThan(1);
        assertThat(headersOnly).isLessThan(Files.size(file));
        assertThat(RecordFileReader.open(file).chunks()).hasSize(1);
    }
}
