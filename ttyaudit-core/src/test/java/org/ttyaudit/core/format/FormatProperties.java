package org.ttyaudit.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.model.ResizeEvent;

/** Properties of the codec, the reader and the verifier over arbitrary events and arbitrary damage. */
class FormatProperties {

    // ---- generators ----

    @Provide
    Arbitrary<List<Event>> eventLists() {
        Arbitrary<LongFunction<Event>> event = Arbitraries.oneOf(
                bytes().map(b -> o -> new OutputEvent(o, b)),
                bytes().map(b -> o -> new InputEvent(o, b)),
                Arbitraries.integers().between(1, Integer.MAX_VALUE).map(n -> o -> new RedactedInputEvent(o, n)),
                Combinators.combine(Arbitraries.integers().between(1, 0xFFFF),
                        Arbitraries.integers().between(1, 0xFFFF)).as((c, r) -> o -> new ResizeEvent(o, c, r)),
                Combinators.combine(Arbitraries.longs(), strings(), strings().injectNull(0.3),
                        Arbitraries.of(CommandSource.class))
                        .as((id, line, cwd, src) -> o -> new CommandStartEvent(o, id, line, cwd, src)),
                Combinators.combine(Arbitraries.longs(), Arbitraries.integers().injectNull(0.3))
                        .as((id, exit) -> o -> new CommandEndEvent(o, id, exit)),
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers(), strings().list().ofMaxSize(5),
                        strings().injectNull(0.3)).as((pid, ppid, argv, cwd) -> o -> new ExecEvent(o, pid, ppid,
                        argv, cwd)),
                Combinators.combine(Arbitraries.integers(), strings().list().ofMaxSize(3), id(), id(),
                        Arbitraries.of(true, false).injectNull(0.3), Arbitraries.integers().injectNull(0.3))
                        .as((pid, argv, uid, auid, ok, exit) -> o -> new ExecEvent(o, pid, 1, argv, "/", uid, auid, ok,
                                exit)),
                Combinators.combine(strings(), strings()).as((n, d) -> o -> new MarkerEvent(o, n, d)),
                Combinators.combine(Arbitraries.of("read", "write", "remove", "rename", "mkdir"), strings(),
                        strings().injectNull(0.5), Arbitraries.longs().between(0, Long.MAX_VALUE).injectNull(0.3),
                        Arbitraries.bytes().array(byte[].class).ofSize(32).injectNull(0.3), Arbitraries.of("sftp", "scp"))
                        .as((op, path, target, n, sha, src) -> o -> new FileEvent(o, op, path, target, n, sha, src)));
        Arbitrary<Long> delta = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, 2_000_000),
                Arbitraries.longs().between(0, Long.MAX_VALUE / 64));
        return Combinators.combine(event, delta).as((e, d) -> new Object[]{e, d}).list().ofMinSize(1).ofMaxSize(30)
                .map(FormatProperties::withOffsets);
    }

    @SuppressWarnings("unchecked")
    private static List<Event> withOffsets(List<Object[]> specs) {
        List<Event> events = new ArrayList<>();
        long offset = 0;
        for (Object[] spec : specs) {
            offset += (Long) spec[1];
            events.add(((LongFunction<Event>) spec[0]).apply(offset));
        }
        return events;
    }

    private static Arbitrary<byte[]> bytes() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.strings().ascii().ofMaxLength(300).map(String::getBytes));
    }

    /** Valid Unicode text (no lone surrogates: those are documented to become U+FFFD). */
    /** A uid or login uid (unsigned 32 bits), or unknown. */
    private static Arbitrary<Long> id() {
        return Arbitraries.longs().between(0, ExecEvent.MAX_ID).injectNull(0.3);
    }

    private static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').withCharRange('\uE000', '\uFFFF')
                        .ofMaxLength(20),
                Arbitraries.of("", "🎉", "ls -la /tmp", "日本語", "a\u0000b"));
    }

    @Provide
    Arbitrary<List<List<Event>>> sessions() {
        return eventLists().list().ofMinSize(0).ofMaxSize(5).map(FormatProperties::monotonic);
    }

    /** Makes the chunks of a session non-decreasing in time across chunk boundaries too. */
    private static List<List<Event>> monotonic(List<List<Event>> chunks) {
        List<List<Event>> out = new ArrayList<>();
        long base = 0;
        for (List<Event> chunk : chunks) {
            long shift = base;
            List<Event> shifted = new ArrayList<>();
            for (Event e : chunk) {
                shifted.add(shift(e, shift));
            }
            base = shifted.get(shifted.size() - 1).offsetMicros();
            out.add(shifted);
        }
        return out;
    }

    private static Event shift(Event e, long by) {
        long o = e.offsetMicros() + by;
        if (e instanceof OutputEvent x) {
            return new OutputEvent(o, x.data());
        } else if (e instanceof InputEvent x) {
            return new InputEvent(o, x.data());
        } else if (e instanceof RedactedInputEvent x) {
            return new RedactedInputEvent(o, x.byteCount());
        } else if (e instanceof ResizeEvent x) {
            return new ResizeEvent(o, x.cols(), x.rows());
        } else if (e instanceof CommandStartEvent x) {
            return new CommandStartEvent(o, x.commandId(), x.commandLine(), x.cwd(), x.source());
        } else if (e instanceof CommandEndEvent x) {
            return new CommandEndEvent(o, x.commandId(), x.exitCode());
        } else if (e instanceof ExecEvent x) {
            return new ExecEvent(o, x.pid(), x.ppid(), x.argv(), x.cwd(), x.uid(), x.auid(), x.success(), x.exit());
        } else if (e instanceof FileEvent x) {
            return new FileEvent(o, x.operation(), x.path(), x.targetPath(), x.bytes(), x.sha256(), x.source());
        }
        MarkerEvent m = (MarkerEvent) e;
        return new MarkerEvent(o, m.name(), m.detail());
    }

    // ---- properties ----

    @Property
    void anyEventListRoundTripsThroughAChunkAndItsBytes(@ForAll("eventLists") List<Event> events) {
        Chunk chunk = new ChunkEncoder(Fixtures.header()).seal(events);
        Chunk parsed = Chunk.fromBytes(chunk.toBytes());
        assertThat(parsed).isEqualTo(chunk);
        assertThat(parsed.hashMatches()).isTrue();
        assertThat(Fixtures.describe(parsed.decodeEvents())).isEqualTo(Fixtures.describe(events));
    }

    @Property(tries = 150)
    void anyTruncationReadsExactlyTheIntactPrefix(@ForAll("sessions") List<List<Event>> session,
                                                  @ForAll boolean finish,
                                                  @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 100_000) Integer> cuts)
            throws IOException {
        Path dir = Files.createTempDirectory("ttyaudit-prop");
        try {
            List<Chunk> written = new ArrayList<>();
            Path file = dir.resolve("full.tty");
            try (RecordFileWriter w = RecordFileWriter.create(file, Fixtures.header())) {
                for (List<Event> chunk : session) {
                    written.add(w.appendChunk(chunk));
                }
                if (finish) {
                    w.finish(Fixtures.end());
                }
            }
            byte[] full = Files.readAllBytes(file);
            List<Fixtures.FrameAt> frames = Fixtures.frames(full);
            for (int rawCut : cuts) {
                int cut = rawCut % (full.length + 1);
                Path truncated = Fixtures.write(dir, "cut.tty", Arrays.copyOf(full, cut));
                int complete = 0;
                int lastEnd = 12;
                for (Fixtures.FrameAt f : frames) {
                    if (f.end() <= cut) {
                        complete++;
                        lastEnd = f.end();
                    }
                }
                boolean atBoundary = cut == lastEnd && complete > 0;
                VerifyReport report = RecordVerifier.verify(truncated);
                assertThat(report.intact()).as("intact after cut at %d of %d", cut, full.length)
                        .isEqualTo(atBoundary);
                assertThat(report.complete()).isEqualTo(finish && cut == full.length);
                if (complete == 0) {
                    assertThat(catchThrowable(() -> RecordFileReader.open(truncated)))
                            .isInstanceOf(FormatException.class);
                    continue;
                }
                Recording r = RecordFileReader.open(truncated);
                int chunksRead = Math.min(complete - 1, written.size());
                assertThat(r.chunks()).isEqualTo(written.subList(0, chunksRead));
                assertThat(r.complete()).isEqualTo(finish && cut == full.length);
                assertThat(r.tornTailBytes()).isEqualTo(cut - lastEnd);
                assertThat(r.intactLength()).isEqualTo(lastEnd);
                assertThat(r.problems()).isEmpty();
            }
        } finally {
            deleteTree(dir);
        }
    }

    @Property(tries = 300)
    void anyCorruptionIsDetectedAndNeverMisread(@ForAll("sessions") List<List<Event>> session,
                                                @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0) Integer> positions,
                                                @ForAll @IntRange(min = 1, max = 255) int xor) throws IOException {
        Path dir = Files.createTempDirectory("ttyaudit-prop");
        try {
            List<Chunk> written = new ArrayList<>();
            Path file = dir.resolve("full.tty");
            try (RecordFileWriter w = RecordFileWriter.create(file, Fixtures.header())) {
                for (List<Event> chunk : session) {
                    written.add(w.appendChunk(chunk));
                }
                w.finish(Fixtures.end());
            }
            byte[] bytes = Files.readAllBytes(file);
            // distinct positions: flipping the same byte twice would undo the damage
            for (int at : new java.util.TreeSet<>(positions.stream().map(p -> p % bytes.length).toList())) {
                bytes[at] ^= (byte) xor;
            }
            Path damaged = Fixtures.write(dir, "damaged.tty", bytes);
            VerifyReport report = RecordVerifier.verify(damaged);
            assertThat(report.intact()).isFalse();
            assertThat(report.problems()).isNotEmpty();

            Throwable t = catchThrowable(() -> {
                Recording r = RecordFileReader.open(damaged);
                // whatever is read is a prefix of what was written: damage is never read as data
                assertThat(r.chunks().size()).isLessThanOrEqualTo(written.size());
                assertThat(r.chunks()).isEqualTo(written.subList(0, r.chunks().size()));
                r.forEachEvent((seq, e) -> { });
            });
            if (t != null) {
                assertThat(t).isInstanceOf(FormatException.class);
            }
        } finally {
            deleteTree(dir);
        }
    }

    @Property(tries = 300)
    void garbageNeverCrashesTheReaderOrTheVerifier(@ForAll byte[] garbage, @ForAll boolean withMagic)
            throws IOException {
        byte[] bytes = garbage;
        if (withMagic) {
            bytes = new byte[12 + garbage.length];
            System.arraycopy(RecordFile.fileHeader(), 0, bytes, 0, 12);
            System.arraycopy(garbage, 0, bytes, 12, garbage.length);
        }
        Path file = Files.createTempFile("ttyaudit-garbage", ".tty");
        try {
            Files.write(file, bytes);
            VerifyReport report = RecordVerifier.verify(file);
            assertThat(report.intact()).isFalse();
            Throwable t = catchThrowable(() -> RecordFileReader.open(file).forEachEvent((s, e) -> { }));
            assertThat(t).isInstanceOf(FormatException.class);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Property
    void garbagePayloadsNeverCrashTheDecoder(@ForAll byte[] payload, @ForAll @IntRange(min = 1, max = 50) int count) {
        Throwable t = catchThrowable(() -> EventPayload.decode(payload, payload.length, 0, count, (s, e) -> { },
                null));
        if (t != null) {
            assertThat(t).isInstanceOf(FormatException.class);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
