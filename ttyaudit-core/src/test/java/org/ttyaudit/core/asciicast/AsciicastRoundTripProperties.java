package org.ttyaudit.core.asciicast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.ResizeEvent;
import org.ttyaudit.core.model.SessionEnd;

class AsciicastRoundTripProperties {

    /** An event at a gap after the previous one; bytes are random, often not UTF-8 and split mid-character. */
    @Provide
    Arbitrary<List<Event>> sessions() {
        Arbitrary<Long> gap = Arbitraries.oneOf(Arbitraries.longs().between(0, 2_000),
                Arbitraries.longs().between(0, 90_000_000_000L));
        Arbitrary<byte[]> bytes = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(12),
                Arbitraries.strings().all().ofMaxLength(8).map(TestSessions::utf8));
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 9);
        Arbitrary<String> command = Arbitraries.strings().all().ofMaxLength(10);
        Arbitrary<Integer> size = Arbitraries.integers().between(1, 0xFFFF);
        return Combinators.combine(gap, kind, bytes, command, size, size).as(Step::new).list().ofMaxSize(30)
                .map(steps -> {
                    List<Event> events = new ArrayList<>();
                    long t = 0;
                    long id = 0;
                    for (Step s : steps) {
                        t += s.gap;
                        switch (s.kind) {
                            case 0, 1 -> events.add(new InputEvent(t, s.bytes));
                            case 2 -> events.add(new ResizeEvent(t, s.a, s.b));
                            case 3 -> events.add(new CommandStartEvent(t, ++id, AsciicastWriter.clean(s.command),
                                    null, CommandSource.SCREEN));
                            default -> events.add(new OutputEvent(t, s.bytes));
                        }
                    }
                    return events;
                });
    }

    private record Step(long gap, int kind, byte[] bytes, String command, int a, int b) {
    }

    @Property(tries = 300)
    void exportedSessionReadsBackWithTheSameTextTimesAndMarkers(@ForAll("sessions") List<Event> events,
                                                                @ForAll AsciicastFormat format,
                                                                @ForAll int exitStatus) throws Exception {
        long last = events.isEmpty() ? 0 : events.get(events.size() - 1).offsetMicros();
        SessionEnd end = TestSessions.endAfterMicros(last + 1_000, exitStatus);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsciicastWriter.export(TestSessions.header(), events, end, out, format,
                AsciicastOptions.defaults().withInput(true));

        CastFile file;
        try (AsciicastReader reader = AsciicastReader.open(new ByteArrayInputStream(out.toByteArray()))) {
            List<CastEvent> read = new ArrayList<>();
            for (CastEvent e = reader.next(); e != null; e = reader.next()) {
                read.add(e);
            }
            file = new CastFile(reader.header(), read);
        }

        assertThat(file.header().format()).isEqualTo(format);
        assertThat(file.header().cols()).isEqualTo(80);
        assertThat(file.header().rows()).isEqualTo(24);
        assertThat(file.header().timestamp()).isEqualTo(TestSessions.START.getEpochSecond());
        assertThat(file.header().termType()).isEqualTo("xterm-256color");

        assertThat(text(file, "o")).isEqualTo(decodeAll(events, OutputEvent.class));
        assertThat(text(file, "i")).isEqualTo(decodeAll(events, InputEvent.class));
        assertThat(lines(file, "r")).isEqualTo(events.stream().filter(e -> e instanceof ResizeEvent)
                .map(e -> (ResizeEvent) e).map(r -> r.offsetMicros() + " " + r.cols() + "x" + r.rows())
                .collect(Collectors.toList()));
        assertThat(lines(file, "m")).isEqualTo(events.stream().filter(e -> e instanceof CommandStartEvent)
                .map(e -> (CommandStartEvent) e).map(c -> c.offsetMicros() + " " + c.commandLine())
                .collect(Collectors.toList()));
        // Each o/i line is stamped with the time of an event of its stream: the one that completed its text.
        List<Long> offsets = events.stream().map(Event::offsetMicros).collect(Collectors.toList());
        assertThat(file.events()).filteredOn(e -> !e.code().equals("x"))
                .allSatisfy(e -> assertThat(offsets).contains(e.timeMicros()));
        if (format == AsciicastFormat.V3) {
            assertThat(file.events().get(file.events().size() - 1))
                    .isEqualTo(new CastEvent(last + 1_000, "x", Integer.toString(exitStatus)));
        } else {
            assertThat(file.events()).noneMatch(e -> e.code().equals("x"));
        }
    }

    private static String text(CastFile file, String code) {
        return file.events().stream().filter(e -> e.code().equals(code)).map(CastEvent::data)
                .collect(Collectors.joining());
    }

    private static List<String> lines(CastFile file, String code) {
        return file.events().stream().filter(e -> e.code().equals(code)).map(e -> e.timeMicros() + " " + e.data())
                .collect(Collectors.toList());
    }

    private static String decodeAll(List<Event> events, Class<? extends Event> type) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Event e : events) {
            if (type.isInstance(e)) {
                byte[] data = e instanceof OutputEvent o ? o.data() : ((InputEvent) e).data();
                all.writeBytes(data);
            }
        }
        Utf8Carry carry = new Utf8Carry();
        return carry.decode(all.toByteArray()) + carry.flush();
    }
}
