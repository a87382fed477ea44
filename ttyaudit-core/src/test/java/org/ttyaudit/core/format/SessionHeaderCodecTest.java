package org.ttyaudit.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ttyaudit.core.model.SessionHeader;

class SessionHeaderCodecTest {

    @Test
    void headerWithNullsAndUnicodeRoundTrips() {
        SessionHeader h = new SessionHeader(Fixtures.ID, "gateway", "zoë", -2, "h", null, "10.0.0.1 5555 10.0.0.2 22",
                null, 1, 1, Fixtures.START.plusNanos(1), List.of(), "output", "0.1.0", Map.of());
        assertThat(SessionHeaderCodec.fromBytes(SessionHeaderCodec.toBytes(h))).isEqualTo(h);
    }

    @Test
    void aTagNameWithAnUnpairedSurrogateIsWrittenAsReplacementCharacter() {
        SessionHeader h = new SessionHeader(Fixtures.ID, "recorder", "u", 1, "h", null, null, null, 80, 24,
                Fixtures.START, List.of(), "full", "0.1.0", Map.of("k\uD800", "v\uDC00"));

        SessionHeader back = SessionHeaderCodec.fromBytes(SessionHeaderCodec.toBytes(h));

        assertThat(back.tags()).containsOnlyKeys("k\uFFFD");
    }

    @Test
    void sameHeaderAlwaysGivesTheSameBytesWithTagsSorted() {
        SessionHeader a = Fixtures.header();
        String json = new String(SessionHeaderCodec.toBytes(a), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo(KnownRecordBytesTest.HEADER_JSON);
        assertThat(SessionHeaderCodec.toBytes(Fixtures.header())).isEqualTo(SessionHeaderCodec.toBytes(a));
    }

    @Test
    void unknownFieldsAndAnyFieldOrderAreAccepted() {
        String json = KnownRecordBytesTest.HEADER_JSON.replace("{\"session_id\"", "{\"future\":[1,2],\"session_id\"");
        assertThat(SessionHeaderCodec.fromBytes(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(Fixtures.header());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json                                 | session header is not valid JSON: Unrecognized token 'not'",
            "[1]                                      | session header is not a JSON object",
            "{}                                       | session header lacks field 'command'",
            "{\"command\":[],\"session_id\":null}      | session header field 'session_id' must not be null",
            "{\"command\":[1]}                         | session header field 'command' must be an array of strings",
            "{\"command\":[],\"session_id\":\"x\"}     | session header is invalid: Invalid UUID string: x",
    })
    void badHeaderGivesAClearOneLineError(String json, String message) {
        assertThatThrownBy(() -> SessionHeaderCodec.fromBytes(json.trim().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(FormatException.class)
                .hasMessageStartingWith(message) // Jackson's own detail may follow
                .hasMessageNotContaining("\n");
    }
}
