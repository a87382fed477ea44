package org.ttyaudit.core.format;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Walks the frames of a record file and classifies what it finds: a good frame, a torn tail (the last frame is
 * incomplete and nothing valid follows it), or damage (a frame that fails its CRC or is implausible while the
 * file goes on). After damage it can look for the next valid frame so a verifier can keep reporting.
 *
 * <p>Reads with positional reads on a channel it does not own; one frame's body is allocated per good frame.
 * Not thread-safe.
 */
final class FrameScanner {

    /** What the scanner found at a position. */
    sealed interface Step permits Frame, Torn, Damaged, End {
    }

    /** A complete frame whose CRC matches. */
    record Frame(long offset, int type, byte[] body) implements Step {
        long endOffset() {
            return offset + RecordFile.FRAME_OVERHEAD + body.length;
        }
    }

    /**
     * The file ends inside this frame and no valid frame follows.
     *
     * @param available    bytes of the frame present in the file
     * @param claimedTotal the frame's full size by its length field, or -1 if even that is cut off
     */
    record Torn(long offset, long available, long claimedTotal) implements Step {
    }

    /**
     * A damaged or implausible frame.
     *
     * @param resumeAt  offset of the next valid frame, the file size if the damaged frame ends exactly at the end
     *                  of the file, or -1 if nothing valid follows
     * @param type      the (unverified) type byte, -1 if unknown
     * @param body      the (unverified) body when it is within the file, else null; for naming the chunk only
     */
    record Damaged(long offset, String what, long resumeAt, int type, byte[] body) implements Step {
    }

    record End(long offset) implements Step {
    }

    private static final int WINDOW = 64 * 1024;

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer small = ByteBuffer.allocate(5);
    private final byte[] crcBuffer = new byte[WINDOW];
    private long position;

    FrameScanner(FileChannel channel, long size, long start) {
        this.channel = channel;
        this.size = size;
        this.position = start;
    }

    long position() {
        return position;
    }

    long size() {
        return size;
    }

    /** Continues at {@code offset} (a {@link Damaged#resumeAt()}). */
    void seek(long offset) {
        position = offset;
    }

    Step next() throws IOException {
        long at = position;
        long remaining = size - at;
        if (remaining == 0) {
            return new End(at);
        }
        if (remaining < 5) {
            position = size;
            return new Torn(at, remaining, -1);
        }
        readFully(at, small.clear());
        long length = Integer.toUnsignedLong(small.getInt(0));
        int type = small.get(4) & 0xFF;
        if (length > Limits.MAX_FRAME_BODY) {
            long resume = findNextFrame(at + 1);
            position = resume < 0 ? size : resume;
            return new Damaged(at, "frame length " + length + " is out of range (max " + Limits.MAX_FRAME_BODY
                    + ")", resume, type, null);
        }
        long total = RecordFile.FRAME_OVERHEAD + length;
        if (total > remaining) {
            long resume = findNextFrame(at + 1);
            if (resume < 0) {
                position = size;
                return new Torn(at, remaining, total);
            }
            position = resume;
            return new Damaged(at, "frame claims " + total + " bytes but a valid frame starts at byte " + resume,
                    resume, type, null);
        }
        byte[] frame = new byte[(int) total];
        readFully(at, ByteBuffer.wrap(frame));
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, frame.length - 4);
        int stored = ((frame[frame.length - 4] & 0xFF) << 24) | ((frame[frame.length - 3] & 0xFF) << 16)
                | ((frame[frame.length - 2] & 0xFF) << 8) | (frame[frame.length - 1] & 0xFF);
        byte[] body = new byte[(int) length];
        System.arraycopy(frame, 5, body, 0, body.length);
        if ((int) crc.getValue() != stored) {
            // Most damage is a changed byte inside a body: then the length was right and the next frame is
            // where it says. Only if not, search byte by byte.
            long next = at + total;
            long resume = next == size || isValidFrameAt(next) ? next : findNextFrame(at + 1);
            position = resume < 0 ? size : resume;
            return new Damaged(at, "CRC mismatch", resume, type, body);
        }
        position = at + total;
        return new Frame(at, type, body);
    }

    /** The offset of the first valid frame of a known type at or after {@code from}, or -1. */
    long findNextFrame(long from) throws IOException {
        byte[] window = new byte[WINDOW + 4];
        for (long base = from; base + RecordFile.FRAME_OVERHEAD <= size; base += WINDOW) {
            int n = (int) Math.min(window.length, size - base);
            readFully(base, ByteBuffer.wrap(window, 0, n));
            for (int i = 0; i + 5 <= n && i < WINDOW; i++) {
                int type = window[i + 4] & 0xFF;
                if (type < RecordFile.TYPE_SESSION_HEADER || type > RecordFile.TYPE_SESSION_END) {
                    continue;
                }
                long length = Integer.toUnsignedLong(((window[i] & 0xFF) << 24) | ((window[i + 1] & 0xFF) << 16)
                        | ((window[i + 2] & 0xFF) << 8) | (window[i + 3] & 0xFF));
                if (length < RecordFile.minBodyLength(type) || length > Limits.MAX_FRAME_BODY
                        || base + i + RecordFile.FRAME_OVERHEAD + length > size) {
                    continue;
                }
                if (crcMatches(base + i, length)) {
                    return base + i;
                }
            }
        }
        return -1;
    }

    private boolean isValidFrameAt(long at) throws IOException {
        if (size - at < RecordFile.FRAME_OVERHEAD) {
            return false;
        }
        readFully(at, small.clear());
        long length = Integer.toUnsignedLong(small.getInt(0));
        return length <= Limits.MAX_FRAME_BODY && at + RecordFile.FRAME_OVERHEAD + length <= size
                && crcMatches(at, length);
    }

    /** Checks a candidate frame's CRC by streaming it, so a forged length does not make us allocate. */
    private boolean crcMatches(long at, long bodyLength) throws IOException {
        CRC32C crc = new CRC32C();
        long covered = 5 + bodyLength;
        long pos = at;
        long left = covered;
        while (left > 0) {
            int n = (int) Math.min(crcBuffer.length, left);
            readFully(pos, ByteBuffer.wrap(crcBuffer, 0, n));
            crc.update(crcBuffer, 0, n);
            pos += n;
            left -= n;
        }
        ByteBuffer stored = ByteBuffer.allocate(4);
        readFully(pos, stored);
        return (int) crc.getValue() == stored.getInt(0);
    }

    private void readFully(long at, ByteBuffer buf) throws IOException {
        long pos = at;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, pos);
            if (n < 0) {
                throw new EOFException("record file shrank while being read (at byte " + pos + ")");
            }
            pos += n;
        }
    }
}
