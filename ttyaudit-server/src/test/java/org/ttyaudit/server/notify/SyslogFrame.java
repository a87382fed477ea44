package org.ttyaudit.server.notify;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of RFC 5424 messages as a receiver sees them, written from the RFC's ABNF and independent of
 * the formatter it checks: it refuses what the grammar refuses (an unescaped {@code "} or {@code ]} in a
 * parameter value, invalid UTF-8, a bad header field), so a test that reads a message proves it well-formed.
 */
public record SyslogFrame(int pri, String timestamp, String hostname, String appName, String procId, String msgId,
                   String sdId, Map<String, String> params, boolean bom, String msg) {
    private static final Pattern HEADER = Pattern.compile(
            "<(\\d{1,3})>1 (\\S+) ([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) ");
    private static final Pattern SD_NAME = Pattern.compile("[!#-<>-\\\\^-~]{1,32}");

    public static SyslogFrame parse(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8: " + e);
        }
        Matcher h = HEADER.matcher(text);
        if (!h.lookingAt()) {
            throw new IllegalArgumentException("bad header: " + text);
        }
        int pri = Integer.parseInt(h.group(1));
        if (pri > 191) {
            throw new IllegalArgumentException("PRI out of range: " + pri);
        }
        String ts = h.group(2);
        if (!ts.equals("-")) {
            if (!ts.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,6})?(Z|[+-]\\d\\d:\\d\\d)")) {
                throw new IllegalArgumentException("bad TIMESTAMP: " + ts);
            }
            OffsetDateTime.parse(ts);
        }
        int i = h.end();
        if (i >= text.length() || text.charAt(i) != '[') {
            throw new IllegalArgumentException("expected structured data at " + i + ": " + text);
        }
        int idEnd = i + 1;
        while (idEnd < text.length() && text.charAt(idEnd) != ' ' && text.charAt(idEnd) != ']') {
            idEnd++;
        }
        String sdId = text.substring(i + 1, idEnd);
        if (!SD_NAME.matcher(sdId).matches()) {
            throw new IllegalArgumentException("bad SD-ID: " + sdId);
        }
        i = idEnd;
        Map<String, String> params = new LinkedHashMap<>();
        while (i < text.length() && text.charAt(i) == ' ') {
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException("parameter without '='");
            }
            String name = text.substring(i + 1, eq);
            if (!SD_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("bad PARAM-NAME: " + name);
            }
            if (eq + 1 >= text.length() || text.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("PARAM-VALUE must be quoted");
            }
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            while (true) {
                if (j >= text.length()) {
                    throw new IllegalArgumentException("unterminated PARAM-VALUE of " + name);
                }
                char c = text.charAt(j);
                if (c == '\\' && j + 1 < text.length() && "\"\\]".indexOf(text.charAt(j + 1)) >= 0) {
                    v.append(text.charAt(j + 1));
                    j += 2;
                } else if (c == '"') {
                    break;
                } else if (c == ']') {
                    throw new IllegalArgumentException("unescaped ']' in PARAM-VALUE of " + name);
                } else {
                    v.append(c);
                    j++;
                }
            }
            params.put(name, v.toString());
            i = j + 1;
        }
        if (i >= text.length() || text.charAt(i) != ']') {
            throw new IllegalArgumentException("structured data not closed at " + i + ": " + text);
        }
        i++;
        if (i == text.length()) {
            return new SyslogFrame(pri, ts, h.group(3), h.group(4), h.group(5), h.group(6), sdId, params, false, null);
        }
        if (text.charAt(i) != ' ') {
            throw new IllegalArgumentException("expected SP before MSG");
        }
        String msg = text.substring(i + 1);
        boolean bom = msg.startsWith("\uFEFF");
        return new SyslogFrame(pri, ts, h.group(3), h.group(4), h.group(5), h.group(6), sdId, params, bom,
                bom ? msg.substring(1) : msg);
    }

    /** Reads one RFC 6587 octet-counted frame ({@code LENGTH SP MESSAGE}) from a stream. */
    static byte[] readOctetCounted(InputStream in) throws IOException {
        int length = 0;
        int digits = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("end of stream");
            }
            if (b == ' ') {
                break;
            }
            if (b < '0' || b > '9' || (digits == 0 && b == '0') || ++digits > 9) {
                throw new IOException("bad octet count byte " + b);
            }
            length = length * 10 + (b - '0');
        }
        byte[] frame = new byte[length];
        new DataInputStream(in).readFully(frame);
        return frame;
    }
}
