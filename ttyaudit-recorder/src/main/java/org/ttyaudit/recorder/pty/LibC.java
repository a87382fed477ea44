package org.ttyaudit.recorder.pty;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The few libc calls the recorder needs, bound with JNA.
 *
 * <p>The hot-path calls ({@code read}, {@code write}, {@code poll}, {@code tcgetattr}) use JNA's direct mapping,
 * which costs about a microsecond per call; the rest go through an interface mapping that is only used at start-up.
 * Linux/glibc only: the constants below are Linux's.
 */
final class LibC {
    static final int O_RDWR = 02;
    static final int O_NOCTTY = 0400;
    static final int O_CLOEXEC = 02000000;

    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EAGAIN = 11;

    static final long TIOCGWINSZ = 0x5413;
    static final long TIOCSWINSZ = 0x5414;

    static final int TCSANOW = 0;
    static final int TCSADRAIN = 1;

    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_NONBLOCK = 04000;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLHUP = 0x10;
    static final short POLLERR = 0x8;

    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;

    /** sizeof(struct termios) is 60 on Linux; we keep some slack. */
    static final int TERMIOS_SIZE = 64;
    static final int TERMIOS_LFLAG_OFFSET = 12;
    static final int LFLAG_ISIG = 0x1;
    static final int LFLAG_ICANON = 0x2;
    static final int LFLAG_ECHO = 0x8;

    /** glibc's soname, which the dynamic loader finds by itself. */
    private static final String LIBC = "libc.so.6";

    static {
        // Unless this property names the library directories, JNA learns them by running `/sbin/ldconfig -p` when
        // it is first used: a process start in front of every session's first prompt (about 14 ms here). libc,
        // the only library bound here, is opened by its soname and needs none of them.
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }
        Native.register(LibC.class, NativeLibrary.getInstance(LIBC));
    }

    private LibC() {
    }

    static native int read(int fd, byte[] buf, long count);

    static native int read(int fd, Pointer buf, long count);

    static native int write(int fd, byte[] buf, long count);

    static native int write(int fd, Pointer buf, long count);

    static native int fcntl(int fd, int cmd, int arg);

    static native int poll(byte[] fds, long nfds, int timeoutMillis);

    static native int tcgetattr(int fd, byte[] termios);

    static native int tcsetattr(int fd, int optionalActions, byte[] termios);

    static native void cfmakeraw(byte[] termios);

    static native int ioctl(int fd, long request, short[] winsize);

    static native int tcgetpgrp(int fd);

    static native int posix_openpt(int flags);

    static native int grantpt(int fd);

    static native int unlockpt(int fd);

    static native int ptsname_r(int fd, byte[] buf, long buflen);

    static native int close(int fd);

    static native int isatty(int fd);

    static native int ttyname_r(int fd, byte[] buf, long buflen);

    static native int kill(int pid, int signal);

    static native int waitpid(int pid, int[] status, int options);

    static native int getuid();

    static native int gettid();

    static native int setpriority(int which, int who, int prio);

    static native long readlink(String path, byte[] buf, long size);

    /** Calls with variable-length or string-array arguments, used once per session. */
    interface Spawn extends Library {
        Spawn INSTANCE = LibC.bind(Spawn.class); // through LibC: its set-up above comes first

        int posix_spawn_file_actions_init(Pointer actions);

        int posix_spawn_file_actions_destroy(Pointer actions);

        int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int oflag, int mode);

        int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

        int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

        int posix_spawnattr_init(Pointer attr);

        int posix_spawnattr_destroy(Pointer attr);

        int posix_spawnattr_setflags(Pointer attr, short flags);

        int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

        int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

        int sigemptyset(Pointer set);

        int sigfillset(Pointer set);

        int posix_spawnp(IntByReference pid, String file, Pointer actions, Pointer attr, String[] argv, String[] envp);

        String strerror(int errnum);
    }

    private static <T extends Library> T bind(Class<T> calls) {
        return Native.load(LIBC, calls);
    }

    static String errorText(int errno) {
        return Spawn.INSTANCE.strerror(errno) + " (errno " + errno + ")";
    }

    static String lastErrorText() {
        return errorText(Native.getLastError());
    }
}
