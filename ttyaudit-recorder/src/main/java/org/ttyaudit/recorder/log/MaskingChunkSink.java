package org.ttyaudit.recorder.log;

import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.core.redact.StreamMasker;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A {@link ChunkSink} that masks secrets in the keystrokes and the terminal's echo before handing the chunk on:
 * a secret typed or pasted on the command line (an access key, {@code --password=…}) is stored as {@code *}s of
 * the same length, also when it arrives one key at a time. It runs on the log's writer thread, so masking never
 * delays a keystroke.
 *
 * <p>Each direction has a {@link StreamMasker}, which holds back only bytes that could still be the start of a
 * secret. Those are released as soon as that is decided, before a redaction marker (to keep the order), once
 * they are {@code maxHoldMicros} older than the newest event, and at the end. A released piece keeps its time
 * unless later events were already handed on: then it takes the latest time handed on, so times never decrease.
 *
 * <p>Masking runs at about 8 MB/s (docs/PERFORMANCE-JMH.md), so output has a budget: pieces larger than
 * {@code bulkBytes}, and whatever exceeds {@code budgetBytesPerSecond} of session time, are handed on unmasked
 * (the masker is flushed first, to keep the order). Bulk output such as a {@code cat} of a large file is
 * therefore not masked; interactive echo, small pieces at typing speed, always is.
 *
 * <p>Called from the writer thread only; not thread-safe.
 */
public final class MaskingChunkSink implements ChunkSink {
    private static final long SECOND_MICROS = 1_000_000L;

    private final ChunkSink next;
    private final StreamMasker input;
    private final StreamMasker output;
    private final int bulkBytes;
    private final long budgetBytesPerSecond;
    private final long maxHoldMicros;

    private List<Event> out = new ArrayList<>();
    private long lastOffset;
    private long budgetWindowStart = -SECOND_MICROS;
    private long maskedInWindow;

    /** Output pieces above this size (bulk output, not echo) are stored without masking. */
    public static final int INTERACTIVE_BULK_BYTES = 4096;
    /** At most this much output a second is masked (under 1% of a core); the rest is bulk output. */
    public static final long INTERACTIVE_BUDGET_BYTES_PER_SECOND = 64 * 1024;
    /** What the masker holds back (a possible secret's start) is stored at the latest after this long. */
    public static final long INTERACTIVE_MAX_HOLD_MICROS = 5_000_000L;

    /** The masking of an interactive session (the recorder's, the gateway's), with the limits above. */
    public static MaskingChunkSink interactive(ChunkSink next, SecretMasker masker) {
        return new MaskingChunkSink(next, masker, INTERACTIVE_BULK_BYTES, INTERACTIVE_BUDGET_BYTES_PER_SECOND,
                INTERACTIVE_MAX_HOLD_MICROS);
    }

    public MaskingChunkSink(ChunkSink next, SecretMasker masker, int bulkBytes, long budgetBytesPerSecond,
                            long maxHoldMicros) {
        this.next = next;
        this.bulkBytes = bulkBytes;
        this.budgetBytesPerSecond = budgetBytesPerSecond;
        this.maxHoldMicros = maxHoldMicros;
        this.input = new StreamMasker(masker, (tag, data) -> emit(new InputEvent(at(tag), data)));
        this.output = new StreamMasker(masker, (tag, data) -> emit(new OutputEvent(at(tag), data)));
    }

    @Override
    public void start() throws IOException {
        next.start();
    }

    @Override
    public void writeChunk(List<Event> events) throws IOException {
        long newest = lastOffset;
        for (Event e : events) {
            newest = Math.max(newest, e.offsetMicros());
            if (e instanceof InputEvent i) {
                input.write(i.offsetMicros(), i.data());
            } else if (e instanceof OutputEvent o) {
                if (o.data().length > bulkBytes || overBudget(o)) {
                    output.flush();
                    emit(o);
                } else {
                    output.write(o.offsetMicros(), o.data());
                }
            } else if (e instanceof RedactedInputEvent) {
                input.flush();
                emit(e);
            } else {
                emit(e);
            }
        }
        releaseOlderThan(input, newest - maxHoldMicros);
        releaseOlderThan(output, newest - maxHoldMicros);
        handOn();
    }

    @Override
    public void idle() {
        next.idle();
    }

    @Override
    public void finish(SessionEnd end) throws IOException {
        flushAll();
        next.finish(end);
    }

    @Override
    public void close() throws IOException {
        flushAll();
        next.close();
    }

    private void flushAll() throws IOException {
        input.flush();
        output.flush();
        handOn();
    }

    private void handOn() throws IOException {
        if (!out.isEmpty()) {
            List<Event> chunk = out;
            out = new ArrayList<>();
            next.writeChunk(chunk);
        }
    }

    private static void releaseOlderThan(StreamMasker masker, long limit) {
        OptionalLong oldest = masker.oldestPendingTag();
        if (oldest.isPresent() && oldest.getAsLong() <= limit) {
            masker.flush();
        }
    }

    private boolean overBudget(OutputEvent o) {
        if (o.offsetMicros() - budgetWindowStart >= SECOND_MICROS) {
            budgetWindowStart = o.offsetMicros();
            maskedInWindow = 0;
        }
        maskedInWindow += o.data().length;
        return maskedInWindow > budgetBytesPerSecond;
    }

    private long at(long offset) {
        return Math.max(offset, lastOffset);
    }

    private void emit(Event e) {
        out.add(e);
        lastOffset = Math.max(lastOffset, e.offsetMicros());
    }
}
