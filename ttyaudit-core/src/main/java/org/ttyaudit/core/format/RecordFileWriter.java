package org.ttyaudit.core.format;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;

/**
 * Writes one session to a new record file (the local spool): file header and session header, then one frame per
 * chunk, then the end record. Append-only; every frame goes out in a single write and is fsync'd before the call
 * returns (the headers of {@link #createUnsynced} with the next sync), so after a crash the file is a valid prefix,
 * at worst with a torn last frame that readers cut.
 *
 * <p>Not thread-safe: one writer per session, driven by one thread.
 *
 * <p>Failure modes: {@link IOException} from the file system. After a failed write the writer refuses further
 * use ({@link IllegalStateException}), because its chain state may be ahead of what reached the disk; the file
 * stays readable up to its last complete frame. {@link IllegalArgumentException} for events the
 * {@link ChunkEncoder} rejects (nothing is written then).
 */
public final class RecordFileWriter implements Closeable {
    private static final int INITIAL_FRAME_BYTES = 4 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final ChunkEncoder encoder;
    /** Starts small and grows with the chunks: a gateway holds hundreds of idle sessions' writers. */
    private final ByteSink frame = new ByteSink(INITIAL_FRAME_BYTES);
    private boolean closed;
    private boolean failed;
    private long durableLength;

    private RecordFileWriter(Path file, FileChannel channel, ChunkEncoder encoder) {
        this.file = file;
        this.channel = channel;
        this.encoder = encoder;
    }

    /**
     * Creates {@code file} (it must not exist) and writes and syncs the file header and session header.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the file exists: a record is never overwritten
     */
    public static RecordFileWriter create(Path file, SessionHeader header) throws IOException {
        RecordFileWriter writer = createUnsynced(file, header);
        try {
            writer.sync();
        } catch (IOException | RuntimeException e) {
            writer.close();
            throw e;
        }
        return writer;
    }

    /**
     * Creates {@code file} (it must not exist) and writes the file header and session header without waiting for
     * the disk: {@link #sync} (or the first chunk, whose sync covers them) makes them durable. For a recorder that
     * must not keep a session's first prompt waiting for an fsync (tens of milliseconds on a busy disk).
     *
     * @throws java.nio.file.FileAlreadyExistsException if the file exists: a record is never overwritten
     */
    public static RecordFileWriter createUnsynced(Path file, SessionHeader header) throws IOException {
        ChunkEncoder encoder = new ChunkEncoder(header);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        RecordFileWriter writer = new RecordFileWriter(file, channel, encoder);
        try {
            ByteSink b = writer.frame;
            b.writeBytes(RecordFile.fileHeader());
            int start = b.size();
            RecordFile.openFrame(b);
            b.writeBytes(encoder.headerRecordBytes());
            RecordFile.closeFrame(b, start, RecordFile.TYPE_SESSION_HEADER);
            writer.write();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return writer;
    }

    /** Makes everything written so far durable (fsync of the data); {@link #durableLength} then covers it. */
    public void sync() throws IOException {
        checkUsable();
        channel.force(false);
        durableLength = channel.position();
    }

    public Path file() {
        return file;
    }

    /** Seals {@code events} into the next chunk, writes its frame and syncs it. Returns the chunk as written. */
    public Chunk appendChunk(List<Event> events) throws IOException {
        checkUsable();
        Chunk chunk = encoder.seal(events);
        int start = 0;
        RecordFile.openFrame(frame);
        ChunkBytes.write(chunk, frame);
        RecordFile.closeFrame(frame, start, RecordFile.TYPE_CHUNK);
        writeAndSync();
        return chunk;
    }

    /**
     * Gives back the buffers that grew for large chunks (the encoder's and the frame's): see
     * {@link ChunkEncoder#releaseBuffers}.
     */
    public void releaseBuffers() {
        frame.release(INITIAL_FRAME_BYTES);
        encoder.releaseBuffers();
    }

    /** The bytes of buffers this writer holds between chunks. */
    public long bufferedBytes() {
        return frame.capacity() + encoder.bufferedBytes();
    }

    /** Writes and syncs the end record, then closes the file. Returns the record as written. */
    public SessionEndRecord finish(SessionEnd end) throws IOException {
        checkUsable();
        SessionEndRecord record = encoder.end(end);
        RecordFile.openFrame(frame);
        frame.writeBytes(record.toBytes());
        RecordFile.closeFrame(frame, 0, RecordFile.TYPE_SESSION_END);
        writeAndSync();
        close();
        return record;
    }

    /** Closes the file. Without {@link #finish} the record is valid but incomplete (no end record). Idempotent. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            channel.close();
        }
    }

    public long chunkCount() {
        return encoder.chunkCount();
    }

    public long eventCount() {
        return encoder.eventCount();
    }

    /**
     * The length of the file's prefix that has been written and fsync'd: it ends after the last complete frame.
     * Frames below it may be shipped (docs/INGEST.md: spool before ship).
     */
    public long durableLength() {
        return durableLength;
    }

    /** The hash of the last chunk written (the session header's before any chunk). */
    public byte[] lastHash() {
        return encoder.lastHash();
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("record writer for " + file + " is closed");
        }
        if (failed) {
            throw new IllegalStateException("record writer for " + file + " failed earlier; the file ends at its "
                    + "last complete frame");
        }
    }

    /** {@link #write} then fsync of the data; a failed fsync cuts the frame off again, as a failed write does. */
    private void writeAndSync() throws IOException {
        long before = write();
        try {
            sync();
        } catch (IOException | RuntimeException e) {
            failed = true;
            cutBackTo(before, e);
            throw e;
        }
    }

    /**
     * One write call for the whole frame (looping only if the OS writes less). When the write fails (a full disk),
     * what reached the file of this frame is cut off again, so the file still ends at its last complete frame: it
     * verifies as intact but incomplete instead of ending in a torn frame. Returns where the frame starts.
     */
    private long write() throws IOException {
        long before = -1;
        try {
            before = channel.position();
            ByteBuffer buf = ByteBuffer.wrap(frame.array(), 0, frame.size());
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            return before;
        } catch (IOException | RuntimeException e) {
            failed = true;
            cutBackTo(before, e);
            throw e;
        } finally {
            frame.reset();
        }
    }

    private void cutBackTo(long length, Exception cause) {
        if (length < 0) {
            return;
        }
        try {
            channel.truncate(length);
            channel.force(false);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e); // the reader still cuts the torn tail
        }
    }
}
