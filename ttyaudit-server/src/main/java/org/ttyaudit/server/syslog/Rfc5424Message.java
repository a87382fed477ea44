package org.ttyaudit.server.syslog;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes one RFC 5424 syslog message:
 * <pre>
 * &lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME - MSGID [SD-ID name="value" …] BOM MSG
 * </pre>
 * TIMESTAMP is in UTC with microseconds (RFC 5424 allows six fraction digits at most); MSG is UTF-8 and starts
 * with the byte order mark as section 6.4 asks. In parameter values {@code "}, {@code \} and {@code ]} are escaped
 * with a backslash (section 6.3.3). Control characters (C0, DEL, C1) and lone surrogates in values and MSG become
 * U+FFFD: recorded text may carry terminal escape sequences or line breaks that must not reach a log viewer or
 * split the message at a receiver that frames by lines.
 *
 * <p>A message longer than {@code maxBytes} is cut to fit: first MSG (at a character boundary), then the longest
 * parameter values, so that every message is well formed whatever it carries. The caller checks HOSTNAME,
 * APP-NAME, MSGID and SD-ID (printable ASCII without spaces). Stateless.
 */
public final class Rfc5424Message {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(
            "uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Rfc5424Message() {
    }

    /**
     * The message, at most {@code maxBytes} long.
     *
     * @param pri      facility × 8 + severity
     * @param params   the SD-PARAMs of the one structured-data element, in order (names: SD-NAMEs, checked by
     *                 the caller); null values are left out
     * @param msg      MSG, or null for none
     * @param maxBytes room for the header and every parameter name (values and MSG are what gets cut)
     */
    public static byte[] encode(int pri, Instant timestamp, String hostname, String appName, String msgId,
                                String sdId, Map<String, String> params, String msg, int maxBytes) {
        Objects.requireNonNull(timestamp, "timestamp");
        String header = "<" + pri + ">1 " + TIMESTAMP.format(timestamp) + " " + hostname + " " + appName + " - "
                + msgId + " ";
        List<String[]> values = new ArrayList<>();
        params.forEach((name, value) -> {
            if (value != null) {
                values.add(new String[] {name, clean(value)});
            }
        });
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        byte[] text = msg == null ? new byte[0] : clean(msg).getBytes(StandardCharsets.UTF_8);

        int fixed = head.length + sdId.length() + 2;   // "[" SD-ID … "]"
        for (String[] p : values) {
            fixed += 1 + p[0].length() + 3;             // SP name="…"
        }
        int[] valueBytes = new int[values.size()];
        int total = 0;
        for (int i = 0; i < values.size(); i++) {
            valueBytes[i] = escapedLength(values.get(i)[1]);
            total += valueBytes[i];
        }
        // MSG gets what is left after the header and the structured data; when nothing is left, values are cut
        int msgRoom = maxBytes - fixed - total - 1 - BOM.length;
        if (msgRoom < text.length) {
            text = cutUtf8(text, Math.max(0, msgRoom));
        }
        while (fixed + total > maxBytes && !values.isEmpty()) {
            int longest = 0;
            for (int i = 1; i < valueBytes.length; i++) {
                if (valueBytes[i] > valueBytes[longest]) {
                    longest = i;
                }
            }
            if (valueBytes[longest] == 0) {
                break;   // nothing left to cut: the caller's fixed parts alone exceed maxBytes
            }
            String v = values.get(longest)[1];
            int excess = fixed + total - maxBytes;
            String cut = cutToEscapedLength(v, Math.max(0, valueBytes[longest] - excess));
            values.get(longest)[1] = cut;
            total -= valueBytes[longest] - escapedLength(cut);
            valueBytes[longest] = escapedLength(cut);
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 64 * 1024));
        out.writeBytes(head);
        out.writeBytes(("[" + sdId).getBytes(StandardCharsets.US_ASCII));
        for (String[] p : values) {
            out.writeBytes((" " + p[0] + "=\"" + escape(p[1]) + "\"").getBytes(StandardCharsets.UTF_8));
        }
        out.write(']');
        if (text.length > 0) {
            out.write(' ');
            out.writeBytes(BOM);
            out.writeBytes(text);
        }
        return out.toByteArray();
    }

    /** Control characters (C0, DEL, C1) replaced by U+FFFD; lone surrogates too (they have no UTF-8 form). */
    public static String clean(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean lone = Character.isHighSurrogate(c)
                    ? i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            boolean bad = c < 0x20 || (c >= 0x7f && c <= 0x9f) || lone;
            if (bad && b == null) {
                b = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (b != null) {
                b.append(bad ? '\uFFFD' : c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** RFC 5424 section 6.3.3: {@code "}, {@code \} and {@code ]} get a backslash. */
    public static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == ']') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static int escapedLength(String value) {
        return escape(value).getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest prefix of {@code value} (whole code points) whose escaped UTF-8 form fits in {@code maxBytes}. */
    private static String cutToEscapedLength(String value, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < value.length()) {
            int cp = value.codePointAt(i);
            int len = (cp == '"' || cp == '\\' || cp == ']') ? 2 : new String(Character.toChars(cp))
                    .getBytes(StandardCharsets.UTF_8).length;
            if (bytes + len > maxBytes) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return value.substring(0, i);
    }

    /** The first at most {@code maxBytes} bytes of UTF-8 {@code bytes}, not ending inside a character. */
    private static byte[] cutUtf8(byte[] bytes, int maxBytes) {
        int end = maxBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {   // bytes[end] continues a character: cut before it
            end--;
        }
        byte[] out = new byte[end];
        System.arraycopy(bytes, 0, out, 0, end);
        return out;
    }
}
