package org.ttyaudit.recorder.pty;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * Reads what a session writes to its pty master, coalescing: each call takes everything that is available right
 * now (the kernel hands a pty's output over in pieces of at most 4095 bytes), up to the size of the caller's
 * buffer, without ever waiting for more. Under bulk output one call returns tens of kilobytes, so the recorder
 * handles (logs, strips, delivers) one large piece instead of many small ones; a single keystroke's echo still
 * comes back at once.
 *
 * <p>Owned by one thread. The master must be non-blocking (as {@link PseudoTerminal#open} makes it).
 */
public final class PtyReader {
    private static final int SMALL_READ = 256;

    private final PseudoTerminal pty;
    private final Memory buffer;
    private final int capacity;

    public PtyReader(PseudoTerminal pty, int capacity) {
        this.pty = pty;
        this.capacity = capacity;
        this.buffer = new Memory(capacity);
    }

    /**
     * Copies what is available into {@code dst} (at most {@code min(dst.length, capacity)} bytes).
     *
     * @return the number of bytes read; 0 when nothing is available (wait with
     *         {@link PseudoTerminal#awaitOutput}); -1 once the slave side is closed and nothing is left
     */
    public int read(byte[] dst) throws PtyException {
        int limit = Math.min(dst.length, capacity);
        int total = 0;
        while (total < limit) {
            int wanted = limit - total;
            int n = LibC.read(pty.masterFd(), total == 0 ? buffer : buffer.share(total), wanted);
            if (n > 0) {
                total += n;
                if (n < wanted && n < SMALL_READ) {
                    // A small piece (an echo): the kernel had no more; asking again would only cost a system
                    // call on the keystroke's path. Larger pieces mean output is streaming: keep collecting.
                    break;
                }
                continue;
            }
            if (n == 0) {
                return total > 0 ? copy(dst, total) : -1;
            }
            int errno = Native.getLastError();
            if (errno == LibC.EINTR) {
                continue;
            }
            if (errno == LibC.EAGAIN) {
                break;
            }
            if (errno == LibC.EIO) {
                return total > 0 ? copy(dst, total) : -1;
            }
            throw new PtyException("read(pty master) failed: " + LibC.errorText(errno));
        }
        return copy(dst, total);
    }

    private int copy(byte[] dst, int n) {
        if (n > 0) {
            buffer.read(0, dst, 0, n);
        }
        return n;
    }
}
