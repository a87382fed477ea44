package org.ttyaudit.recorder.pty;

/**
 * Puts the user's terminal into raw mode (every key goes straight to the recorded session, which has its own
 * line discipline) and restores the saved settings exactly once.
 *
 * <p>{@link #restore()} is idempotent and thread-safe, so it can be called from the normal exit path, from a
 * signal handler and from a JVM shutdown hook; the first call wins.
 */
public final class RawMode implements AutoCloseable {
    private final int fd;
    private final byte[] saved;
    private boolean restored;

    private RawMode(int fd, byte[] saved) {
        this.fd = fd;
        this.saved = saved;
    }

    /** Enters raw mode on {@code fd}, which must be a terminal. */
    public static RawMode enter(int fd) throws PtyException {
        byte[] saved = new byte[LibC.TERMIOS_SIZE];
        if (LibC.tcgetattr(fd, saved) != 0) {
            throw new PtyException("tcgetattr(fd " + fd + ") failed: " + LibC.lastErrorText());
        }
        byte[] raw = saved.clone();
        LibC.cfmakeraw(raw);
        if (LibC.tcsetattr(fd, LibC.TCSADRAIN, raw) != 0) {
            throw new PtyException("tcsetattr(fd " + fd + ", raw) failed: " + LibC.lastErrorText());
        }
        return new RawMode(fd, saved);
    }

    /** Copies the user's terminal settings (echo, erase character, …) onto the session's terminal. */
    public static void copySettings(int fromFd, PseudoTerminal to) throws PtyException {
        byte[] settings = new byte[LibC.TERMIOS_SIZE];
        if (LibC.tcgetattr(fromFd, settings) != 0) {
            throw new PtyException("tcgetattr(fd " + fromFd + ") failed: " + LibC.lastErrorText());
        }
        if (LibC.tcsetattr(to.masterFd(), LibC.TCSANOW, settings) != 0) {
            throw new PtyException("tcsetattr(pty) failed: " + LibC.lastErrorText());
        }
    }

    public synchronized void restore() {
        if (!restored) {
            restored = true;
            LibC.tcsetattr(fd, LibC.TCSADRAIN, saved);
        }
    }

    @Override
    public void close() {
        restore();
    }
}
