package org.ttyaudit.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.model.ResizeEvent;

class EventPayloadTest {
    private static final byte[] SHA = HexFormat.of().parseHex("ab".repeat(32));

    /** One event in (at offset 5 µs, so the delta is 5) → the exact bytes docs/FORMAT.md prescribes. */
    static Stream<Arguments> encodings() {
        return Stream.of(
                Arguments.of(new OutputEvent(5, new byte[]{'h', 'i'}), "01 05 02 6869"),
                Arguments.of(new OutputEvent(5, new byte[0]), "01 05 00"),
                Arguments.of(new InputEvent(5, new byte[]{0x1b}), "02 05 01 1b"),
                Arguments.of(new RedactedInputEvent(5, 300), "03 05 02 ac02"),
                Arguments.of(new ResizeEvent(5, 80, 24), "04 05 02 50 18"),
                Arguments.of(new CommandStartEvent(5, 7, "ls", "/", CommandSource.SHELL_INTEGRATION),
                        "05 05 07 07 02 6c73 02 2f 00"),
                Arguments.of(new CommandStartEvent(5, 7, "ls", null, CommandSource.SCREEN),
                        "05 05 06 07 02 6c73 00 01"),
                Arguments.of(new CommandStartEvent(5, 7, "ls", "", CommandSource.SCREEN),
                        "05 05 06 07 02 6c73 01 01"),
                Arguments.of(new CommandStartEvent(5, 7, "ls", null, CommandSource.SSH_EXEC),
                        "05 05 06 07 02 6c73 00 02"),
                Arguments.of(new CommandEndEvent(5, 7, null), "06 05 02 07 00"),
                Arguments.of(new CommandEndEvent(5, 7, -1), "06 05 03 07 01 01"),
                Arguments.of(new CommandEndEvent(5, 7, 130), "06 05 04 07 01 8402"),
                Arguments.of(new ExecEvent(5, 10, 1, List.of(), null), "07 05 04 14 02 00 00"),
                Arguments.of(new ExecEvent(5, 10, 1, List.of("a", ""), "/"), "07 05 08 14 02 02 01 61 00 02 2f"),
                // an audit log's exec: type 10, the type 7 body, then field bits and the fields present
                Arguments.of(new ExecEvent(5, 10, 1, List.of(), null, 1000L, 1000L, true, 0),
                        "0a 05 0b 14 02 00 00 0f e807 e807 01 00"),
                Arguments.of(new ExecEvent(5, 10, 1, List.of(), null, null, 4294967295L, false, -2),
                        "0a 05 0c 14 02 00 00 0e ffffffff0f 00 03"),
                Arguments.of(new ExecEvent(5, 10, 1, List.of(), null, 0L, null, null, null), "0a 05 06 14 02 00 00 01 00"),
                Arguments.of(new MarkerEvent(5, "x", ""), "08 05 03 01 78 00"),
                Arguments.of(new MarkerEvent(5, "é", "→"), "08 05 07 02 c3a9 03 e28692"),
                Arguments.of(new FileEvent(5, "mkdir", "/d", null, null, null, "sftp"),
                        "09 05 11 05 6d6b646972 02 2f64 00 00 00 04 73667470"),
                Arguments.of(new FileEvent(5, "rename", "/a", "/b", null, null, "sftp"),
                        "09 05 14 06 72656e616d65 02 2f61 03 2f62 00 00 04 73667470"),
                Arguments.of(new FileEvent(5, "write", "/f", null, 3L, SHA, "scp"),
                        "09 05 31 05 7772697465 02 2f66 00 01 03 01 " + "ab".repeat(32) + " 03 736370"));
    }

    @ParameterizedTest
    @MethodSource("encodings")
    void eachEventTypeEncodesToTheDocumentedBytes(Event event, String hex) {
        byte[] expected = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThat(encode(List.of(event))).isEqualTo(expected);
        assertThat(Fixtures.describe(decode(expected, 1))).containsExactly(Fixtures.describe(event));
    }

    @Test
    void offsetsAreDeltasFromThePreviousEvent() {
        List<Event> events = List.of(new OutputEvent(1000, new byte[]{'a'}), new OutputEvent(1000, new byte[0]),
                new ResizeEvent(1200, 1, 1));
        // 1000 = varint e8 07; the second event's delta is 0; 1200 - 1000 = 200 = varint c8 01
        byte[] expected = HexFormat.of().parseHex("01e8070161" + "010000" + "04c801020101");
        assertThat(encode(events)).isEqualTo(expected);
        assertThat(Fixtures.describe(decode(expected, 3))).isEqualTo(Fixtures.describe(events));
    }

    @Test
    void everyKindOfEventRoundTripsWithNullsAndEmptiesIntact() {
        List<Event> events = new ArrayList<>();
        for (List<Event> chunk : Fixtures.sampleChunks()) {
            events.addAll(chunk);
        }
        events.add(new CommandStartEvent(5000, Long.MAX_VALUE, "", null, CommandSource.SCREEN));
        events.add(new CommandEndEvent(5000, -1, Integer.MIN_VALUE));
        events.add(new ExecEvent(5001, Integer.MAX_VALUE, -1, List.of(), null));
        events.add(new ExecEvent(5001, 1, 0, List.of("x"), "", ExecEvent.MAX_ID, 0L, false, Integer.MIN_VALUE));
        events.add(new ResizeEvent(5002, 0xFFFF, 0xFFFF));
        events.add(new InputEvent(5003, new byte[0]));
        events.add(new MarkerEvent(Long.MAX_VALUE, "end", "🎉 done"));
        assertThat(Fixtures.describe(decode(encode(events), events.size()))).isEqualTo(Fixtures.describe(events));
    }

    @Test
    void unpairedSurrogateIsStoredAsReplacementCharacter() {
        Event e = new MarkerEvent(0, "a\uD800b", "\uDC00");
        assertThat(Fixtures.describe(decode(encode(List.of(e)), 1)))
                .containsExactly(new MarkerEvent(0, "a\uFFFDb", "\uFFFD").toString());
    }

    @Test
    void decreasingOffsetsAreRejectedWhenEncoding() {
        assertThatThrownBy(() -> encode(List.of(new OutputEvent(10, new byte[0]), new OutputEvent(9, new byte[0]))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event 1 (output) goes back in time");
    }

    /** Malformed payload bytes → the exact one-line error. */
    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("2a 00 00", "event 0 at payload byte 0: unknown event type 42 (written by a newer version?)"),
                Arguments.of("01 00 05 6869", "event 0 at payload byte 0: body of 5 bytes runs past the end of the payload (2 bytes left)"),
                Arguments.of("01 00", "event 0 at payload byte 0: body length at byte 2 runs past the end"),
                Arguments.of("01 ffffffffffffffffff7f 00", "event 0 at payload byte 0: offset delta at byte 1 is not a valid varint (overflows 64 bits)"),
                Arguments.of("04 00 02 00 18", "event 0 at payload byte 0: invalid event: window size out of range: 0x24"),
                Arguments.of("04 00 03 50 18 00", "event 0 at payload byte 0: resize body has 1 unexpected trailing bytes"),
                Arguments.of("05 00 04 01 01 ff 00", "event 0 at payload byte 0: command line at byte 2 is not valid UTF-8"),
                Arguments.of("05 00 04 01 00 00 03", "event 0 at payload byte 0: unknown command source code 3"),
                Arguments.of("06 00 02 01 02", "event 0 at payload byte 0: exit code flag must be 0 or 1, not 2"),
                Arguments.of("03 00 01 00", "event 0 at payload byte 0: invalid event: byteCount must be positive: 0"),
                Arguments.of("07 00 03 00 00 7f", "event 0 at payload byte 0: argument count 127 exceeds the body"),
                Arguments.of("07 00 05 14 02 00 00 01", "event 0 at payload byte 0: exec body has 1 unexpected trailing bytes"),
                Arguments.of("0a 00 05 14 02 00 00 10", "event 0 at payload byte 0: exec field bits 16 name fields this version does not know"),
                Arguments.of("0a 00 0a 14 02 00 00 01 8080808010", "event 0 at payload byte 0: uid is out of range: 4294967296"),
                Arguments.of("0a 00 06 14 02 00 00 04 02", "event 0 at payload byte 0: exec success must be 0 or 1, not 2"),
                Arguments.of("0a 00 05 14 02 00 00 03", "event 0 at payload byte 0: uid at byte 5 runs past the end"),
                Arguments.of("010000 010000", "payload holds more than 1 events (3 bytes follow event 0)"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedPayloadGivesAClearError(String hex, String message) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertThatThrownBy(() -> decode(bytes, 1)).isInstanceOf(FormatException.class).hasMessage(message);
    }

    @Test
    void unknownEventTypesCanBeSkippedWithTheirSeqAndReported() {
        byte[] bytes = HexFormat.of().parseHex("01010161" + "2a0203aabbcc" + "010100");
        List<String> seen = new ArrayList<>();
        int n = EventPayload.decode(bytes, bytes.length, 100, 10, (seq, e) -> seen.add(seq + " " + Fixtures.describe(e)),
                (seq, type, offset, length) -> seen.add(seq + " unknown type " + type + " @" + offset + " " + length));
        assertThat(n).isEqualTo(3);
        assertThat(seen).containsExactly("100 output@1[61]", "101 unknown type 42 @3 3", "102 output@4[]");
    }

    private static byte[] encode(List<Event> events) {
        ByteSink out = new ByteSink(16);
        EventPayload.encode(events, out, new ByteSink(16));
        return out.toByteArray();
    }

    private static List<Event> decode(byte[] bytes, int max) {
        List<Event> events = new ArrayList<>();
        EventPayload.decode(bytes, bytes.length, 0, max, (seq, e) -> events.add(e), null);
        return events;
    }
}
