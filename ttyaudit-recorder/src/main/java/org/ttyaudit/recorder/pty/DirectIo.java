package org.ttyaudit.recorder.pty;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * Reads and writes raw descriptors through a native buffer of its own, so a call copies only the bytes it moves.
 * (Handing a Java array to a JNA call copies the whole array in and out, whatever the byte count: for the
 * recorder's large buffers that cost more than the system call itself.)
 *
 * <p>Owned by one thread: the buffer is reused by every call.
 */
public final class DirectIo {
    private final Memory buffer;
    private final int capacity;

    public DirectIo(int capacity) {
        this.capacity = capacity;
        this.buffer = new Memory(capacity);
    }

    /**
     * Reads up to {@code min(dst.length, capacity)} bytes into {@code dst}.
     *
     * @return the number of bytes read; 0 when a non-blocking descriptor has nothing; -1 at end of stream (EOF,
     *         or EIO from a pty whose other side is closed)
     */
    public int read(int fd, byte[] dst) throws PtyException {
        int limit = Math.min(dst.length, capacity);
        while (true) {
            int n = LibC.read(fd, buffer, limit);
            if (n > 0) {
                buffer.read(0, dst, 0, n);
                return n;
            }
            if (n == 0) {
                return -1;
            }
            int errno = Native.getLastError();
            if (errno == LibC.EINTR) {
                continue;
            }
            if (errno == LibC.EAGAIN) {
                return 0;
            }
            if (errno == LibC.EIO) {
                return -1;
            }
            throw new PtyException("read(fd " + fd + ") failed: " + LibC.errorText(errno));
        }
    }

    /** Writes all of {@code src[off, off+len)}, waiting while a non-blocking descriptor is full. */
    public void writeFully(int fd, byte[] src, int off, int len) throws PtyException {
        int done = 0;
        while (done < len) {
            int piece = Math.min(capacity, len - done);
            buffer.write(0, src, off + done, piece);
            int written = 0;
            while (written < piece) {
                int n = LibC.write(fd, written == 0 ? buffer : buffer.share(written), piece - written);
                if (n >= 0) {
                    written += n;
                    continue;
                }
                int errno = Native.getLastError();
                if (errno == LibC.EINTR) {
                    continue;
                }
                if (errno == LibC.EAGAIN) {
                    FileDescriptors.awaitWritable(fd, 100);
                    continue;
                }
                throw new PtyException("write(fd " + fd + ") failed: " + LibC.errorText(errno));
            }
            done += piece;
        }
    }
}
