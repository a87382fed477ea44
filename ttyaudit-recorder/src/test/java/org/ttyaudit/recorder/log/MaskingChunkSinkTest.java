package org.ttyaudit.recorder.log;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.redact.SecretMasker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MaskingChunkSinkTest {
    private static final String SECRET = "Sup3rSecretValue";
    private final SessionLogTest.RecordingSink recorded = new SessionLogTest.RecordingSink();
    private final MaskingChunkSink sink = new MaskingChunkSink(recorded, SecretMasker.defaults(), 4096,
            64 * 1024, 5_000_000);

    /** The user types the line key by key; the shell echoes each key; the log seals a chunk every few keys. */
    private void typeAndEcho(String line, long startMicros, int chunkEvery) throws Exception {
        List<Event> chunk = new ArrayList<>();
        long t = startMicros;
        for (byte b : line.getBytes(StandardCharsets.US_ASCII)) {
            chunk.add(new InputEvent(t++, new byte[] {b}));
            chunk.add(new OutputEvent(t++, new byte[] {b}));
            if (chunk.size() >= chunkEvery) {
                sink.writeChunk(chunk);
                chunk = new ArrayList<>();
            }
        }
        if (!chunk.isEmpty()) {
            sink.writeChunk(chunk);
        }
    }

    private List<Event> all() {
        List<Event> events = new ArrayList<>();
        recorded.chunks.forEach(events::addAll);
        return events;
    }

    private String text(Class<? extends Event> kind) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Event e : all()) {
            if (kind.isInstance(e)) {
                out.writeBytes(e instanceof InputEvent i ? i.data() : ((OutputEvent) e).data());
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void secretTypedKeyByKeyAcrossChunksIsMaskedInInputAndEcho() throws Exception {
        String line = "mysql --password=" + SECRET + " db\r";
        typeAndEcho(line, 0, 6);
        sink.finish(new SessionEnd(Instant.EPOCH, 0, null, "exit"));
        String masked = "mysql --password=" + "*".repeat(SECRET.length()) + " db\r";
        assertThat(text(InputEvent.class)).isEqualTo(masked);
        assertThat(text(OutputEvent.class)).isEqualTo(masked);
        assertThat(recorded.end).isNotNull();
    }

    @Test
    void timesNeverDecreaseAndOtherEventsPassUnchanged() throws Exception {
        typeAndEcho("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", 0, 4);
        CommandStartEvent cmd = new CommandStartEvent(1_000, 0, "export AWS_ACCESS_KEY_ID=[MASKED:x]", "/",
                CommandSource.SHELL_INTEGRATION);
        sink.writeChunk(List.of(cmd));
        typeAndEcho("\r", 1_001, 4);
        sink.close();
        long last = -1;
        for (Event e : all()) {
            assertThat(e.offsetMicros()).isGreaterThanOrEqualTo(last);
            last = e.offsetMicros();
        }
        assertThat(all()).contains(cmd);
        assertThat(text(InputEvent.class)).doesNotContain("AKIAIOSFODNN7EXAMPLE").hasSize(46);
    }

    @Test
    void heldBytesGoBeforeARedactionMarker() throws Exception {
        sink.writeChunk(List.of(new InputEvent(1, "--token=ab".getBytes(StandardCharsets.US_ASCII)),
                new RedactedInputEvent(2, 8), new InputEvent(3, "\r".getBytes(StandardCharsets.US_ASCII))));
        sink.close();
        List<Event> events = all();
        int redaction = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof RedactedInputEvent) {
                redaction = i;
            }
        }
        assertThat(redaction).isPositive();
        assertThat(events.subList(0, redaction)).allMatch(e -> e instanceof InputEvent);
    }

    @Test
    void bulkOutputIsHandedOnWithoutMasking() throws Exception {
        byte[] big = ("key=" + "x".repeat(10_000) + " --password=" + SECRET + "\n").getBytes(StandardCharsets.US_ASCII);
        sink.writeChunk(List.of(new OutputEvent(5, big)));
        assertThat(recorded.chunks).hasSize(1);
        assertThat(((OutputEvent) recorded.chunks.get(0).get(0)).data()).isSameAs(big);
    }

    @Test
    void possibleSecretIsHeldAtMostTheHoldTime() throws Exception {
        sink.writeChunk(List.of(new InputEvent(0, "--password=abc".getBytes(StandardCharsets.US_ASCII))));
        int before = recorded.eventCount();
        sink.writeChunk(List.of(new OutputEvent(6_000_000, "x".getBytes(StandardCharsets.US_ASCII))));
        assertThat(text(InputEvent.class)).isEqualTo("--password=***");
        assertThat(recorded.eventCount()).isGreaterThan(before);
    }
}
