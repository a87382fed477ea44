package org.ttyaudit.core.format;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Reads a record file's frames one at a time from a byte offset, also while the file is still being appended
 * to: the uploader uses it to ship new frames as the recorder makes them durable. A frame is returned exactly
 * as stored, so it can go on the wire unchanged (docs/INGEST.md: the wire carries the file's frames).
 *
 * <p>{@link #next(long)} reads only below a limit the caller gives (for a live file: the length the writer has
 * fsync'd). Below it, an incomplete last frame is {@link Pending} (more is to come, or a crash left a torn tail);
 * a frame that fails its CRC while the file goes on, or is implausible, is {@link Damaged} — the same rules as
 * {@link RecordFileReader}, through the same scanner.
 *
 * <p>Owns an open read channel; not thread-safe (one reader per thread); close it.
 */
public final class FrameReader implements Closeable {
    /** Where the first frame (the session header) starts, after the 12-byte file header. */
    public static final long FIRST_FRAME_OFFSET = RecordFile.FILE_HEADER_LENGTH;

    /** What a frame holds. */
    public enum Kind {
        SESSION_HEADER, CHUNK, SESSION_END,
        /** A frame type from a newer version (its CRC is good); readers skip it. */
        UNKNOWN
    }

    /** The outcome of one {@link #next(long)}. */
    public sealed interface Result permits Frame, Pending, Damaged {
    }

    /**
     * A complete frame whose CRC matches.
     *
     * @param offset where the frame starts in the file
     * @param type   the frame type byte
     * @param body   the record's encoding (not copied: do not modify)
     */
    public record Frame(long offset, int type, byte[] body) implements Result {
        public Frame {
            Objects.requireNonNull(body, "body");
        }

        public Kind kind() {
            return switch (type) {
                case RecordFile.TYPE_SESSION_HEADER -> Kind.SESSION_HEADER;
                case RecordFile.TYPE_CHUNK -> Kind.CHUNK;
                case RecordFile.TYPE_SESSION_END -> Kind.SESSION_END;
                default -> Kind.UNKNOWN;
            };
        }

        /** The frame's size in the file: length, type, body and CRC. */
        public int size() {
            return RecordFile.FRAME_OVERHEAD + body.length;
        }

        public long endOffset() {
            return offset + size();
        }

        /** The whole frame as it is in the file (length, type, body, CRC32C). */
        public byte[] bytes() {
            ByteSink b = new ByteSink(size());
            RecordFile.openFrame(b);
            b.writeBytes(body);
            RecordFile.closeFrame(b, 0, type);
            return b.array().length == b.size() ? b.array() : b.toByteArray();
        }
    }

    /**
     * No complete frame starts at {@code offset} below the limit: the writer has not finished (or made durable)
     * the next frame yet, or the file ends in a torn frame. {@code available} bytes of it are there.
     */
    public record Pending(long offset, long available) implements Result {
    }

    /** The frame at {@code offset} is damaged ({@code what}); nothing after it can be trusted to follow on. */
    public record Damaged(long offset, String what) implements Result {
    }

    private final Path file;
    private final FileChannel channel;
    private long position = FIRST_FRAME_OFFSET;

    private FrameReader(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Opens {@code file} and checks its file header (magic and version).
     *
     * @throws FormatException when the file is not a version-1 ttyaudit record (bad magic, other version, or it
     *                         ends inside the file header)
     * @throws IOException     when it cannot be opened or read
     */
    public static FrameReader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            RecordFileReader.checkFileHeader(ch, ch.size());
            return new FrameReader(file, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** The offset the next {@link #next} reads at. */
    public long position() {
        return position;
    }

    /** Continues reading at {@code offset}, which must be the start of a frame (e.g. a {@link Frame#offset()}). */
    public void seek(long offset) {
        if (offset < FIRST_FRAME_OFFSET) {
            throw new IllegalArgumentException("frames start at byte " + FIRST_FRAME_OFFSET + ", not " + offset);
        }
        position = offset;
    }

    /** The file's current size. */
    public long size() throws IOException {
        return channel.size();
    }

    /**
     * Reads the frame at {@link #position()} if it lies wholly below {@code limit} (and the file's end), and moves
     * past it. {@link Pending} and {@link Damaged} leave the position where it was.
     */
    public Result next(long limit) throws IOException {
        long end = Math.min(channel.size(), limit);
        if (end <= position) {
            return new Pending(position, 0);
        }
        FrameScanner.Step step = new FrameScanner(channel, end, position).next();
        if (step instanceof FrameScanner.Frame f) {
            position = f.endOffset();
            return new Frame(f.offset(), f.type(), f.body());
        }
        if (step instanceof FrameScanner.Torn t) {
            return new Pending(t.offset(), t.available());
        }
        if (step instanceof FrameScanner.Damaged d) {
            return new Damaged(d.offset(), d.what());
        }
        return new Pending(position, 0);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
