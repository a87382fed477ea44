package org.ttyaudit.core.redact;

/**
 * A read-only {@link CharSequence} view of bytes decoded as ISO-8859-1, so that character index i is byte
 * {@code off + i} and regular expressions can run over terminal bytes without copying or decoding them.
 *
 * <p>The view does not copy: it shows the array as it is when read. {@link #reset} re-targets it so one view (and
 * the matchers bound to it) can be reused. Not thread-safe.
 */
final class Latin1Text implements CharSequence {
    private byte[] bytes;
    private int off;
    private int len;

    Latin1Text(byte[] bytes, int off, int len) {
        reset(bytes, off, len);
    }

    void reset(byte[] bytes, int off, int len) {
        if (off < 0 || len < 0 || off > bytes.length - len) {
            throw new IndexOutOfBoundsException("off=" + off + " len=" + len + " length=" + bytes.length);
        }
        this.bytes = bytes;
        this.off = off;
        this.len = len;
    }

    @Override
    public int length() {
        return len;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= len) {
            throw new IndexOutOfBoundsException(index);
        }
        return (char) (bytes[off + index] & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > len || start > end) {
            throw new IndexOutOfBoundsException("start=" + start + " end=" + end + " length=" + len);
        }
        return new String(bytes, off + start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return new String(bytes, off, len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
