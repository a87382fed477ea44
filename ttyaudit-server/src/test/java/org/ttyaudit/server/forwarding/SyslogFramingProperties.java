package org.ttyaudit.server.forwarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.server.notify.SyslogFrame;
import org.ttyaudit.server.syslog.Rfc5424Message;
import org.ttyaudit.server.syslog.SyslogStream;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a forwarded document holds (any UTF-16: quotes, backslashes, ']', line breaks, controls, non-ASCII,
 * lone surrogates), the forwarder's RFC 5424 message in its RFC 6587 frame is well formed: the octet count is the
 * message's length, the strict reader ({@link SyslogFrame}) takes it, the structured data gives back the values
 * (cleaned, escaped and unescaped), and MSG is the document as JSON, so nothing can split or forge a message.
 */
class SyslogFramingProperties {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 400)
    void anyDocumentMakesOneWellFormedFrame(@ForAll @StringLength(max = 200) String user,
                                            @ForAll @StringLength(max = 200) String host,
                                            @ForAll @StringLength(max = 2000) String commandLine,
                                            @ForAll @StringLength(max = 200) String cwd,
                                            @ForAll @IntRange(min = 0, max = 23) int facility) throws Exception {
        SessionHeader h = new SessionHeader(new SessionId(new java.util.UUID(1, 2)), "recorder", user, 1000, host,
                null, null, null, 80, 24, Instant.parse("2026-11-25T10:00:00Z"), List.of("bash"), "full", "test",
                Map.of());
        ForwardedEvent e = EcsMapper.commandStart(h, 7, new CommandStartEvent(1_500_000, 3, commandLine, cwd,
                CommandSource.SHELL_INTEGRATION));
        byte[] message = SyslogForwarder.format(e, facility, "audit.example", "ttyaudit@32473", 1 << 20);
        byte[] frame = SyslogStream.frame(message);

        String text = new String(frame, StandardCharsets.US_ASCII);
        int space = text.indexOf(' ');
        assertThat(Integer.parseInt(text.substring(0, space))).isEqualTo(frame.length - space - 1);
        byte[] inFrame = Arrays.copyOfRange(frame, space + 1, frame.length);
        assertThat(inFrame).isEqualTo(message);
        for (byte b : message) {
            assertThat(b == '\n' || b == '\r' || b == 0).as("a line break or NUL in the message").isFalse();
        }

        SyslogFrame f = SyslogFrame.parse(message);
        assertThat(f.pri()).isEqualTo(facility * 8 + 6);
        assertThat(f.timestamp()).isEqualTo("2026-11-25T10:00:01.500000Z");
        assertThat(f.msgId()).isEqualTo("command-start");
        assertThat(f.params()).containsEntry("id", "00000000-0000-0001-0000-000000000002:7")
                .containsEntry("user", Rfc5424Message.clean(user)).containsEntry("host", Rfc5424Message.clean(host));
        assertThat(f.bom()).isTrue();
        JsonNode doc = JSON.readTree(f.msg());
        assertThat(doc.at("/process/command_line").asText()).isEqualTo(inJson(commandLine));
        assertThat(doc.at("/process/working_directory").asText()).isEqualTo(inJson(cwd));
        assertThat(doc.at("/user/name").asText()).isEqualTo(inJson(user));
    }

    @Property(tries = 200)
    void aMessageOverTheLimitIsCutToFitAndStaysWellFormed(@ForAll @StringLength(min = 100, max = 3000) String line,
                                                         @ForAll @IntRange(min = 2048, max = 4096) int max) {
        SessionHeader h = new SessionHeader(new SessionId(new java.util.UUID(1, 2)), "recorder", line, 1000, line,
                null, null, null, 80, 24, Instant.parse("2026-11-25T10:00:00Z"), List.of("bash"), "full", "test",
                Map.of());
        ForwardedEvent e = EcsMapper.commandStart(h, 7, new CommandStartEvent(0, 3, line + line, line,
                CommandSource.SCREEN));
        byte[] message = SyslogForwarder.format(e, 4, "audit.example", "ttyaudit@32473", max);
        assertThat(message.length).isLessThanOrEqualTo(max);
        assertThat(SyslogFrame.parse(message).params()).containsKey("id");
    }

    /**
     * What a value is after the trip through JSON and the message: JSON escapes C0 controls (so they survive),
     * while DEL, C1 controls and lone surrogates in the JSON text are replaced by U+FFFD.
     */
    private static String inJson(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = Character.isHighSurrogate(c)
                    ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            b.append((c >= 0x7f && c <= 0x9f) || lone ? '\uFFFD' : c);
        }
        return b.toString();
    }
}
