package org.ttyaudit.server.migrate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rows in PostgreSQL's COPY text format (tab-separated columns, one line per row, {@code \N} for NULL,
 * backslash escapes in text, {@code \\x} hex for bytea), appended to a buffer that is sent when it is full.
 * Values are converted by the target column's type, so that a mistake (bytes for a text column) fails loudly
 * instead of storing something else.
 */
final class CopyText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    private final StringBuilder line = new StringBuilder(256);

    /** Appends one row; {@code types} are the target columns' data types, in the order of {@code values}. */
    void row(Object[] values, String[] types, String table, String[] columns) {
        line.setLength(0);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append('\t');
            }
            append(values[i], types[i], table, columns[i]);
        }
        line.append('\n');
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
    }

    private void append(Object value, String type, String table, String column) {
        if (value == null) {
            line.append("\\N");
            return;
        }
        switch (type) {
            case "bytea" -> {
                if (!(value instanceof byte[] bytes)) {
                    throw new IllegalStateException(table + "." + column + ": expected bytes, the embedded store has "
                            + value.getClass().getSimpleName());
                }
                line.append("\\\\x");
                for (byte b : bytes) {
                    line.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            }
            case "bigint", "integer", "smallint" -> {
                if (!(value instanceof Long || value instanceof Integer)) {
                    throw new IllegalStateException(table + "." + column + ": expected a whole number, the embedded"
                            + " store has " + value.getClass().getSimpleName());
                }
                line.append(value);
            }
            case "text" -> {
                if (value instanceof byte[]) {
                    throw new IllegalStateException(table + "." + column + ": expected text, the embedded store"
                            + " has bytes");
                }
                escape(value.toString());
            }
            default -> throw new IllegalStateException(table + "." + column + ": migrate does not know how to copy"
                    + " a PostgreSQL column of type " + type);
        }
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> line.append(c);
            }
        }
    }

    int size() {
        return out.size();
    }

    /** The buffered rows, and an empty buffer. */
    byte[] take() {
        byte[] b = out.toByteArray();
        out.reset();
        return b;
    }
}
