package org.ttyaudit.recorder.pty;

import com.sun.jna.Native;

import java.io.Closeable;

/**
 * The master side of a new pseudo-terminal pair. The recorder owns it: it reads what the session writes and
 * writes what the user types. The slave side is opened only by the child process ({@link ChildProcess}).
 *
 * <p>Reading and writing may happen on different threads at once. {@link #close()} must only be called when no
 * thread is blocked on the master any more.
 */
public final class PseudoTerminal implements Closeable {
    private final int masterFd;
    private final String slavePath;
    private final ThreadLocal<byte[]> termiosScratch = ThreadLocal.withInitial(() -> new byte[LibC.TERMIOS_SIZE]);
    private volatile boolean closed;
    /** The poll(2) argument of {@link #awaitOutput}, reused: it is called once per burst of output. */
    private final byte[] outputPollFd = new byte[8];
    /** For {@link #read}: one reading thread, as the method's contract says. */
    private final DirectIo reader = new DirectIo(64 * 1024);
    /** For {@link #write}: one writing thread. */
    private final DirectIo writer = new DirectIo(16 * 1024);

    private PseudoTerminal(int masterFd, String slavePath) {
        this.masterFd = masterFd;
        this.slavePath = slavePath;
    }

    /** Opens a new pty pair with the given window size. */
    public static PseudoTerminal open(WindowSize size) throws PtyException {
        int fd = LibC.posix_openpt(LibC.O_RDWR | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new PtyException("posix_openpt failed: " + LibC.lastErrorText());
        }
        try {
            if (LibC.grantpt(fd) != 0) {
                throw new PtyException("grantpt failed: " + LibC.lastErrorText());
            }
            if (LibC.unlockpt(fd) != 0) {
                throw new PtyException("unlockpt failed: " + LibC.lastErrorText());
            }
            byte[] name = new byte[128];
            int rc = LibC.ptsname_r(fd, name, name.length);
            if (rc != 0) {
                throw new PtyException("ptsname_r failed: " + LibC.errorText(rc));
            }
            PseudoTerminal pty = new PseudoTerminal(fd, Native.toString(name));
            FileDescriptors.setWindowSize(fd, size);
            FileDescriptors.setNonBlocking(fd);
            return pty;
        } catch (PtyException e) {
            LibC.close(fd);
            throw e;
        }
    }

    public int masterFd() {
        return masterFd;
    }

    /** The slave device, e.g. {@code /dev/pts/7}. */
    public String slavePath() {
        return slavePath;
    }

    /**
     * Reads what the session wrote, waiting for it; -1 once the slave side is closed by every process.
     * Call from one thread only. For the recorder's hot path use a {@link PtyReader}, which does not wait and
     * coalesces.
     */
    public int read(byte[] buf) throws PtyException {
        while (true) {
            int n = reader.read(masterFd, buf);
            if (n != 0) {
                return n;
            }
            awaitOutput(1000);
        }
    }

    /** Waits until output is available or the slave side hung up; false on time-out. One waiting thread. */
    public boolean awaitOutput(int timeoutMillis) throws PtyException {
        return FileDescriptors.await(masterFd, LibC.POLLIN, timeoutMillis, outputPollFd);
    }

    /** Sends input to the session, as if typed. Call from one thread only. */
    public void write(byte[] buf, int len) throws PtyException {
        writer.writeFully(masterFd, buf, 0, len);
    }

    /** Sets the window size; the kernel sends SIGWINCH to the session's foreground process group. */
    public void resize(WindowSize size) throws PtyException {
        FileDescriptors.setWindowSize(masterFd, size);
    }

    /**
     * Whether the program reading the terminal has turned echo off while still reading whole lines (ECHO off,
     * ICANON on): the state of a password prompt ({@code sudo}, {@code passwd}, {@code read -s}, getpass).
     * A line editor such as readline turns both off, which is not a secret prompt.
     */
    public boolean isSecretInputMode() {
        int lflag = FileDescriptors.localModeFlags(masterFd, termiosScratch.get());
        return lflag != -1 && (lflag & LibC.LFLAG_ECHO) == 0 && (lflag & LibC.LFLAG_ICANON) != 0;
    }

    /**
     * Whether the terminal is in its ordinary cooked state, reading whole lines with echo (ICANON and ECHO on) —
     * as a shell leaves it, and as a recorder must leave the user's terminal when it exits.
     */
    public boolean isCookedWithEcho() {
        int lflag = FileDescriptors.localModeFlags(masterFd, termiosScratch.get());
        return lflag != -1 && (lflag & LibC.LFLAG_ECHO) != 0 && (lflag & LibC.LFLAG_ICANON) != 0;
    }

    /** The process group in the foreground of the session's terminal, or -1 when unknown. */
    public int foregroundProcessGroup() {
        return LibC.tcgetpgrp(masterFd);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(masterFd);
        }
    }
}
