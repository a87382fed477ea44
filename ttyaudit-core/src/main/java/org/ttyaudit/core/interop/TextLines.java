package org.ttyaudit.core.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of a UTF-8 text file (tlog's JSON messages, sudo's timing file), each decoded strictly on its own, with
 * a bound on a line's length so a hostile file cannot exhaust memory. Counts lines for error messages.
 */
final class TextLines {
    private final InputStream in;
    private final String source;
    private final int maxBytes;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[256];
    private long number;
    private boolean eof;

    /** {@code source} names the file in errors. */
    TextLines(InputStream in, String source, int maxBytes) {
        this.in = in;
        this.source = source;
        this.maxBytes = maxBytes;
    }

    /** The number of the line last returned (1-based). */
    long number() {
        return number;
    }

    /** The next line without its {@code \n} (and a {@code \r} before it), or null at the end. */
    String next() throws IOException {
        if (eof) {
            return null;
        }
        int len = 0;
        number++;
        while (true) {
            if (pos == limit) {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) {
                    eof = true;
                    return len == 0 ? null : decode(len);
                }
                pos = 0;
                limit = n;
            }
            byte b = buf[pos++];
            if (b == '\n') {
                return decode(len);
            }
            if (len == maxBytes) {
                throw new ImportFormatException(source, "line " + number + " is longer than " + maxBytes + " bytes");
            }
            if (len == line.length) {
                line = Arrays.copyOf(line, (int) Math.min((long) len * 2, maxBytes));
            }
            line[len++] = b;
        }
    }

    private String decode(int len) throws ImportFormatException {
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        try {
            return decoder.decode(ByteBuffer.wrap(line, 0, len)).toString();
        } catch (CharacterCodingException e) {
            throw new ImportFormatException(source, "line " + number + " is not valid UTF-8");
        }
    }
}
