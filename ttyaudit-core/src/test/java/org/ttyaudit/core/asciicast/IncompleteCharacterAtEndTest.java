package org.ttyaudit.core.asciicast;

import org.junit.jupiter.api.Test;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.InputEvent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Found by AsciicastRoundTripProperties: a character cut off at the end is stamped with its own event's time. */
class IncompleteCharacterAtEndTest {
    @Test
    void incompleteInputCharacterAtTheEndKeepsItsEventsTime() throws Exception {
        List<Event> events = List.of(new InputEvent(1, new byte[] {(byte) 0xE2}));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AsciicastWriter.export(TestSessions.header(), events, null, out, AsciicastFormat.V2,
                AsciicastOptions.defaults().withInput(true));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[1]).isEqualTo("[0.000001,\"i\",\"\uFFFD\"]");
    }
}
