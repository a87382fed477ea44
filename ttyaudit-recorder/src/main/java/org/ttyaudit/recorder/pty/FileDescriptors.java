package org.ttyaudit.recorder.pty;

import com.sun.jna.Native;

/**
 * Blocking I/O and terminal queries on raw file descriptors (the pty master, the user's stdin and stdout).
 * All methods are thread-safe in the sense of the underlying system calls.
 */
public final class FileDescriptors {
    public static final int STDIN = 0;
    public static final int STDOUT = 1;

    private FileDescriptors() {
    }

    /**
     * Waits until {@code fd} is readable or hung up.
     *
     * @return true when a read will not block, false on time-out
     */
    public static boolean awaitReadable(int fd, int timeoutMillis) throws PtyException {
        return await(fd, LibC.POLLIN, timeoutMillis, new byte[8]);
    }

    /** Waits until {@code fd} can take more output; false on time-out. */
    static boolean awaitWritable(int fd, int timeoutMillis) throws PtyException {
        return await(fd, LibC.POLLOUT, timeoutMillis, new byte[8]);
    }

    /** poll(2) on one descriptor; {@code pollfd} is the caller's 8-byte struct pollfd buffer. */
    static boolean await(int fd, short events, int timeoutMillis, byte[] pollfd) throws PtyException {
        pollfd[0] = (byte) fd;
        pollfd[1] = (byte) (fd >>> 8);
        pollfd[2] = (byte) (fd >>> 16);
        pollfd[3] = (byte) (fd >>> 24);
        pollfd[4] = (byte) events;
        while (true) {
            int n = LibC.poll(pollfd, 1, timeoutMillis);
            if (n >= 0) {
                return n > 0;
            }
            int errno = Native.getLastError();
            if (errno != LibC.EINTR) {
                throw new PtyException("poll(fd " + fd + ") failed: " + LibC.errorText(errno));
            }
        }
    }

    /** Makes reads and writes on {@code fd} return at once (EAGAIN) instead of blocking. */
    static void setNonBlocking(int fd) throws PtyException {
        int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (flags < 0 || LibC.fcntl(fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK) < 0) {
            throw new PtyException("fcntl(fd " + fd + ", O_NONBLOCK) failed: " + LibC.lastErrorText());
        }
    }

    public static boolean isTerminal(int fd) {
        return LibC.isatty(fd) == 1;
    }

    /** The device path of the terminal on {@code fd} (e.g. /dev/pts/3), or null when it is not a terminal. */
    public static String terminalName(int fd) {
        byte[] buf = new byte[256];
        if (LibC.ttyname_r(fd, buf, buf.length) != 0) {
            return null;
        }
        return Native.toString(buf);
    }

    /**
     * The target of a symbolic link (e.g. {@code /proc/PID/cwd}), or null when it cannot be read. One system call,
     * no Java file-system objects: cheap enough for the keystroke path.
     */
    public static String readLink(String path) {
        byte[] buf = new byte[4096];
        long n = LibC.readlink(path, buf, buf.length);
        if (n < 0 || n >= buf.length) {
            return null;
        }
        return new String(buf, 0, (int) n, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The window size of the terminal on {@code fd}, or null when it is not a terminal. */
    public static WindowSize windowSize(int fd) {
        short[] ws = new short[4];
        if (LibC.ioctl(fd, LibC.TIOCGWINSZ, ws) != 0) {
            return null;
        }
        return new WindowSize(Short.toUnsignedInt(ws[1]), Short.toUnsignedInt(ws[0]));
    }

    static void setWindowSize(int fd, WindowSize size) throws PtyException {
        short[] ws = {(short) size.rows(), (short) size.cols(), 0, 0};
        if (LibC.ioctl(fd, LibC.TIOCSWINSZ, ws) != 0) {
            throw new PtyException("ioctl(TIOCSWINSZ " + size + ") failed: " + LibC.lastErrorText());
        }
    }

    /** The local-mode flags (c_lflag) of the terminal on {@code fd}; -1 when they cannot be read. */
    static int localModeFlags(int fd, byte[] scratch) {
        if (LibC.tcgetattr(fd, scratch) != 0) {
            return -1;
        }
        int o = LibC.TERMIOS_LFLAG_OFFSET;
        return (scratch[o] & 0xFF) | (scratch[o + 1] & 0xFF) << 8 | (scratch[o + 2] & 0xFF) << 16
                | (scratch[o + 3] & 0xFF) << 24;
    }
}
