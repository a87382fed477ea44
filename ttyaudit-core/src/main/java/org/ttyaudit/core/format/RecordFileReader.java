package org.ttyaudit.core.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.ttyaudit.core.model.SessionHeader;

/**
 * Reads a record file into a {@link Recording}: the longest valid prefix of frames. A torn last frame (a write
 * cut short by a crash) is cut and counted; damage in the middle ends reading there and is named in
 * {@link Recording#problems()}, never skipped silently. Frames of types this version does not know are skipped
 * and noted, so newer files stay readable.
 *
 * <p>Chunk payloads are kept compressed in memory; events are decoded lazily. Stateless and thread-safe.
 */
public final class RecordFileReader {
    private RecordFileReader() {
    }

    /**
     * @throws FormatException if the file is not a ttyaudit record at all, has an unsupported version, or its
     *                         session header is missing, damaged or invalid (there is nothing to read then)
     * @throws IOException     if the file cannot be read
     */
    public static Recording open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            checkFileHeader(ch, size);
            FrameScanner scanner = new FrameScanner(ch, size, RecordFile.FILE_HEADER_LENGTH);
            FrameScanner.Step first = scanner.next();
            if (!(first instanceof FrameScanner.Frame headerFrame)
                    || headerFrame.type() != RecordFile.TYPE_SESSION_HEADER) {
                throw new FormatException(describeMissingHeader(first));
            }
            SessionHeader header;
            try {
                header = SessionHeaderCodec.fromBytes(headerFrame.body());
            } catch (FormatException e) {
                throw e.in("session header at byte " + headerFrame.offset());
            }
            List<Chunk> chunks = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            SessionEndRecord end = null;
            long torn = 0;
            long intact = headerFrame.endOffset();
            while (true) {
                FrameScanner.Step step = scanner.next();
                if (step instanceof FrameScanner.End) {
                    break;
                }
                if (step instanceof FrameScanner.Torn t) {
                    torn = t.available();
                    break;
                }
                if (step instanceof FrameScanner.Damaged d) {
                    problems.add("frame at byte " + d.offset() + " is damaged (" + d.what() + "); reading "
                            + "stopped there");
                    break;
                }
                FrameScanner.Frame f = (FrameScanner.Frame) step;
                if (end != null) {
                    problems.add(RecordFile.typeName(f.type()) + " frame at byte " + f.offset()
                            + " follows the session end record; reading stopped there");
                    break;
                }
                String problem = accept(f, chunks);
                if (problem != null) {
                    problems.add(problem);
                    break;
                }
                if (f.type() == RecordFile.TYPE_SESSION_END) {
                    end = SessionEndRecord.fromBytes(f.body());
                }
                intact = f.endOffset();
            }
            return new Recording(header, headerFrame.body(), chunks, Optional.ofNullable(end), torn, intact,
                    problems);
        }
    }

    /** Adds a chunk frame to {@code chunks}; returns a problem that ends reading, or null. */
    private static String accept(FrameScanner.Frame f, List<Chunk> chunks) {
        try {
            switch (f.type()) {
                case RecordFile.TYPE_CHUNK -> chunks.add(Chunk.fromBytes(f.body()));
                case RecordFile.TYPE_SESSION_END -> SessionEndRecord.fromBytes(f.body());
                case RecordFile.TYPE_SESSION_HEADER -> {
                    return "a second session header at byte " + f.offset() + "; reading stopped there";
                }
                default -> {
                    // a frame type from a newer version: skippable by design (its CRC was fine)
                }
            }
            return null;
        } catch (FormatException e) {
            return RecordFile.typeName(f.type()) + " frame at byte " + f.offset() + " does not parse: "
                    + e.getMessage() + "; reading stopped there";
        }
    }

    /** Checks magic and version; throws the one-line reason if this is not a version-1 record. */
    static void checkFileHeader(FileChannel ch, long size) throws IOException {
        FormatException problem = fileHeaderProblem(ch, size);
        if (problem != null) {
            throw problem;
        }
    }

    static FormatException fileHeaderProblem(FileChannel ch, long size) throws IOException {
        int n = (int) Math.min(size, RecordFile.FILE_HEADER_LENGTH);
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) {
            // positional read until full
        }
        byte[] head = buf.array();
        int magicBytes = Math.min(n, RecordFile.MAGIC.length);
        if (!Arrays.equals(head, 0, magicBytes, RecordFile.MAGIC, 0, magicBytes)) {
            return new FormatException("not a ttyaudit record: bad magic at byte 0");
        }
        if (n < RecordFile.FILE_HEADER_LENGTH) {
            return new FormatException("truncated: the file ends inside the file header (" + size + " of "
                    + RecordFile.FILE_HEADER_LENGTH + " bytes)");
        }
        int version = ByteBuffer.wrap(head).getInt(RecordFile.MAGIC.length);
        if (version != RecordFile.VERSION) {
            return new FormatException("unsupported record format version " + Integer.toUnsignedString(version)
                    + " (this program reads version " + RecordFile.VERSION + ")");
        }
        return null;
    }

    private static String describeMissingHeader(FrameScanner.Step first) {
        if (first instanceof FrameScanner.End e) {
            return "truncated: the file ends before the session header (byte " + e.offset() + ")";
        }
        if (first instanceof FrameScanner.Torn t) {
            return "truncated: the session header frame at byte " + t.offset() + " is incomplete ("
                    + t.available() + " of "
                    + (t.claimedTotal() < 0 ? "at least " + RecordFile.FRAME_OVERHEAD : t.claimedTotal())
                    + " bytes)";
        }
        if (first instanceof FrameScanner.Damaged d) {
            return "session header frame at byte " + d.offset() + " is damaged: " + d.what();
        }
        FrameScanner.Frame f = (FrameScanner.Frame) first;
        return "the first frame at byte " + f.offset() + " is a " + RecordFile.typeName(f.type())
                + ", not the session header";
    }
}
