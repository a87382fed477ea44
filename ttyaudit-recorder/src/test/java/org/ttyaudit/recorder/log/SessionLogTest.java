package org.ttyaudit.recorder.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionEnd;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(20)
class SessionLogTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Records what it is given; can be made to block or fail. */
    static class RecordingSink implements ChunkSink {
        final List<List<Event>> chunks = new ArrayList<>();
        SessionEnd end;
        boolean closed;
        volatile CountDownLatch gate;
        volatile IOException failWith;

        @Override
        public synchronized void writeChunk(List<Event> events) throws IOException {
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (failWith != null) {
                throw failWith;
            }
            chunks.add(List.copyOf(events));
        }

        @Override
        public synchronized void finish(SessionEnd end) {
            this.end = end;
        }

        @Override
        public synchronized void close() {
            closed = true;
        }

        final java.util.concurrent.atomic.AtomicInteger idles = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void idle() {
            idles.incrementAndGet();
        }

        synchronized int eventCount() {
            return chunks.stream().mapToInt(List::size).sum();
        }
    }

    private static SessionLog log(RecordingSink sink, int chunkBytes, long latencyNanos, long maxPending) {
        return new SessionLog(sink, System::nanoTime, System.nanoTime(), chunkBytes, latencyNanos, maxPending);
    }

    private static void output(SessionLog log, int bytes) throws IOException {
        byte[] data = new byte[bytes];
        log.append(t -> new OutputEvent(t, data));
    }

    @Test
    void sealsAChunkWhenItIsFullAndEverythingElseAtTheEnd() throws Exception {
        RecordingSink sink = new RecordingSink();
        SessionLog log = log(sink, 1000, 60 * SECOND, 1 << 20);
        for (int i = 0; i < 25; i++) {
            output(log, 100);
        }
        log.finish(new SessionEnd(Instant.EPOCH, 0, null, "exit"));
        assertThat(sink.eventCount()).isEqualTo(25);
        assertThat(sink.chunks.size()).isBetween(3, 25);
        assertThat(sink.end).isNotNull();
    }

    @Test
    void sealsAfterTheLatencyBoundEvenWhenNotFull() throws Exception {
        RecordingSink sink = new RecordingSink();
        SessionLog log = log(sink, 1 << 20, TimeUnit.MILLISECONDS.toNanos(50), 1 << 20);
        output(log, 10);
        long deadline = System.nanoTime() + 5 * SECOND;
        while (sink.eventCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sink.eventCount()).as("sealed by time, without finish").isEqualTo(1);
        log.close();
        assertThat(sink.closed).isTrue();
        assertThat(sink.end).isNull();
    }

    @Test
    void aCommandStartIsSealedPromptlyNotAfterTheLatencyBound() throws Exception {
        RecordingSink sink = new RecordingSink();
        SessionLog log = log(sink, 1 << 20, 60 * SECOND, 1 << 20);
        output(log, 10);   // alone, it would wait a minute
        Thread.sleep(100);
        assertThat(sink.eventCount()).isZero();
        log.append(t -> new CommandStartEvent(t, 1, "sudo -n true", "/tmp", CommandSource.SHELL_INTEGRATION));
        output(log, 10);   // output right after the command goes along...
        long deadline = System.nanoTime() + 30 * SECOND;
        while (sink.eventCount() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        // ...unless this thread was held up for PROMPT_SEAL between the two appends (a loaded machine): then the
        // chunk was sealed without it. Either way the command start was sealed promptly, in one chunk.
        int sealed = sink.eventCount();
        assertThat(sealed).as("sealed within PROMPT_SEAL, not the minute").isBetween(2, 3);
        assertThat(sink.chunks).hasSize(1);
        output(log, 10);
        Thread.sleep(200);
        assertThat(sink.eventCount()).as("plain output waits for the latency bound again").isEqualTo(sealed);
        log.close();
    }

    @Test
    void aShorterLatencySetWhileAChunkWaitsSealsItThen() throws Exception {
        RecordingSink sink = new RecordingSink();
        SessionLog log = log(sink, 1 << 20, 60 * SECOND, 1 << 20);
        output(log, 10);   // would wait a minute
        Thread.sleep(100);
        assertThat(sink.eventCount()).isZero();
        log.maxLatency(java.time.Duration.ofMillis(50));   // the writer is woken and sees the event is overdue
        long deadline = System.nanoTime() + 5 * SECOND;
        while (sink.eventCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sink.eventCount()).as("sealed by the new bound").isEqualTo(1);
        log.close();
    }

    @Test
    void theSinkHearsWhenNothingIsLeftToWriteSoItCanGiveBackWhatAChunkGrew() throws Exception {
        RecordingSink sink = new RecordingSink();
        SessionLog log = log(sink, 1000, TimeUnit.MILLISECONDS.toNanos(50), 1 << 20);
        output(log, 5000); // a full chunk, written at once
        long deadline = System.nanoTime() + 5 * SECOND;
        while (sink.idles.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sink.eventCount()).isEqualTo(1);
        assertThat(sink.idles.get()).as("idle after the chunk, with nothing pending").isEqualTo(1);

        // while a chunk waits for its latency bound, nothing is idle yet; after it is written, it is
        output(log, 10);
        while (sink.eventCount() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        while (sink.idles.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sink.idles.get()).isEqualTo(2);
        log.finish(new SessionEnd(Instant.EPOCH, 0, null, "exit"));
        assertThat(sink.idles.get()).as("not after the end").isEqualTo(2);
    }

    @Test
    void offsetsNeverDecrease() throws Exception {
        RecordingSink sink = new RecordingSink();
        SessionLog log = log(sink, 1 << 20, SECOND, 1 << 20);
        for (int i = 0; i < 1000; i++) {
            output(log, 1);
        }
        log.finish(new SessionEnd(Instant.EPOCH, 0, null, "exit"));
        long last = -1;
        for (List<Event> chunk : sink.chunks) {
            for (Event e : chunk) {
                assertThat(e.offsetMicros()).isGreaterThanOrEqualTo(last);
                last = e.offsetMicros();
            }
        }
    }

    @Test
    void appendWaitsWhileTheSinkIsBehindInsteadOfDropping() throws Exception {
        RecordingSink sink = new RecordingSink();
        sink.gate = new CountDownLatch(1);
        SessionLog log = log(sink, 100, SECOND, 1000);
        AtomicBoolean finished = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            try {
                for (int i = 0; i < 50; i++) {
                    output(log, 100);
                }
                finished.set(true);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        producer.start();
        Thread.sleep(300);
        assertThat(finished).as("blocked by backpressure").isFalse();
        sink.gate.countDown();
        producer.join(5000);
        assertThat(finished).isTrue();
        log.finish(new SessionEnd(Instant.EPOCH, 0, null, "exit"));
        assertThat(sink.eventCount()).isEqualTo(50);
    }

    @Test
    void sinkFailureIsReportedAndLaterAppendsFail() throws Exception {
        RecordingSink sink = new RecordingSink();
        sink.failWith = new IOException("No space left on device");
        SessionLog log = log(sink, 10, SECOND, 1 << 20);
        output(log, 100);
        long deadline = System.nanoTime() + 5 * SECOND;
        while (log.failure() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(log.failure()).hasMessageContaining("No space left");
        assertThatThrownBy(() -> output(log, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot be written");
        assertThatThrownBy(() -> log.finish(new SessionEnd(Instant.EPOCH, 0, null, "exit")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void aSinkThatCannotStartFailsTheLogAsAFailedChunkWould() throws Exception {
        RecordingSink sink = new RecordingSink() {
            @Override
            public void start() throws IOException {
                throw new IOException("Input/output error");
            }
        };
        SessionLog log = log(sink, 10, SECOND, 1 << 20);
        long deadline = System.nanoTime() + 5 * SECOND;
        while (log.failure() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(log.failure()).hasMessageContaining("Input/output error");
        assertThatThrownBy(() -> output(log, 1)).isInstanceOf(IOException.class);
        assertThat(sink.chunks).isEmpty();
    }

    @Test
    void aLibraryThatCannotBeLoadedFailsTheLogAndTellsTheOwner() throws Exception {
        // What zstd-jni throws where the temporary directory is mounted noexec: an Error, not an IOException.
        RecordingSink sink = new RecordingSink() {
            @Override
            public synchronized void writeChunk(List<Event> events) {
                throw new UnsatisfiedLinkError("/tmp/libzstd-jni.so: failed to map segment from shared object");
            }
        };
        SessionLog log = log(sink, 10, SECOND, 1 << 20);
        CompletableFuture<IOException> told = new CompletableFuture<>();
        log.onFailure(told::complete);
        output(log, 100);
        IOException failure = told.get(5, TimeUnit.SECONDS);
        assertThat(failure).hasMessage("a library cannot be loaded: /tmp/libzstd-jni.so: failed to map segment from "
                + "shared object").hasCauseInstanceOf(UnsatisfiedLinkError.class);
        assertThatThrownBy(() -> output(log, 1)).isInstanceOf(IOException.class).hasMessageContaining("cannot be written");
        assertThat(sink.closed).as("the sink is closed, as after any failure").isTrue();
    }
}
