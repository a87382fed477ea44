package org.ttyaudit.core.format;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Frames on the wire (docs/INGEST.md): a request body is one or more record-file frames back to back, without
 * the file header, exactly as they sit in a spool file. Unlike the file reader, this decoder is strict: the
 * bytes come from the network, so a torn or unknown frame is an error, never something to skip or cut.
 *
 * <p>Stateless and thread-safe.
 */
public final class WireFrames {

    /** The record a frame carries. */
    public enum Type {
        SESSION_HEADER(RecordFile.TYPE_SESSION_HEADER),
        CHUNK(RecordFile.TYPE_CHUNK),
        SESSION_END(RecordFile.TYPE_SESSION_END);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }
    }

    /** One frame: its type, where it started in the body it came from, and its record's bytes. */
    public record Frame(Type type, long offset, byte[] body) {
    }

    private WireFrames() {
    }

    /**
     * Splits {@code data} into frames, checking lengths, types and CRCs.
     *
     * @throws FormatException naming the frame's number and byte offset and what is wrong with it
     */
    public static List<Frame> decode(byte[] data) {
        List<Frame> frames = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            String where = "frame " + frames.size() + " at byte " + at;
            if (data.length - at < RecordFile.FRAME_OVERHEAD) {
                throw new FormatException(where + " is incomplete: " + (data.length - at) + " bytes left");
            }
            long length = Integer.toUnsignedLong(readInt(data, at));
            int code = data[at + 4] & 0xFF;
            Type type = Type.of(code);
            if (type == null) {
                throw new FormatException(where + " has unknown type " + code);
            }
            if (length > Limits.MAX_FRAME_BODY) {
                throw new FormatException(where + ": length " + length + " is out of range (max "
                        + Limits.MAX_FRAME_BODY + ")");
            }
            long end = at + RecordFile.FRAME_OVERHEAD + length;
            if (end > data.length) {
                throw new FormatException(where + " is incomplete: it claims " + (end - at) + " bytes, "
                        + (data.length - at) + " are there");
            }
            int bodyLength = (int) length;
            CRC32C crc = new CRC32C();
            crc.update(data, at, 5 + bodyLength);
            if ((int) crc.getValue() != readInt(data, at + 5 + bodyLength)) {
                throw new FormatException(where + " (" + RecordFile.typeName(code) + "): CRC mismatch");
            }
            byte[] body = new byte[bodyLength];
            System.arraycopy(data, at + 5, body, 0, bodyLength);
            frames.add(new Frame(type, at, body));
            at = (int) end;
        }
        return frames;
    }

    /** Encodes frames back to back (what a client sends; the inverse of {@link #decode}). */
    public static byte[] encode(List<Frame> frames) {
        ByteSink out = new ByteSink(1024);
        for (Frame f : frames) {
            int start = out.size();
            RecordFile.openFrame(out);
            out.writeBytes(f.body());
            RecordFile.closeFrame(out, start, f.type().code());
        }
        return out.toByteArray();
    }

    /** Encodes one frame. */
    public static byte[] encode(Type type, byte[] body) {
        return encode(List.of(new Frame(type, 0, body)));
    }

    /**
     * The 12 bytes that start a record file; followed by frames, they make a file that {@code RecordFileReader}
     * and {@code RecordVerifier} read (how a server hands out a stored session as a record file).
     */
    public static byte[] recordFileHeader() {
        return RecordFile.fileHeader();
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
