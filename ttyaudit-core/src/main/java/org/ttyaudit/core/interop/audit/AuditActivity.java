package org.ttyaudit.core.interop.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an audit event says a session did: a program run, a file changed, or a sudo command. {@code ses} is the
 * audit session id ({@link #NO_SESSION} when the process had none).
 */
public sealed interface AuditActivity {
    /** The kernel's "unset" audit session id (-1 as an unsigned 32-bit number). */
    long NO_SESSION = 4294967295L;

    Instant at();

    /** The audit event's serial number: with {@link #at()}, where the event is in the log (and its identity). */
    long serial();

    long ses();

    /** The login uid ({@code auid=}) of the process, or null when the log does not say. */
    Long auid();

    /**
     * An execve: the program's argv, working directory, process ids, and the ids and result of the call (from the
     * SYSCALL record; null when the event has none).
     *
     * @param success whether the call succeeded ({@code success=yes}), or null
     * @param exit    the syscall's return value (0 for a successful execve), or null
     */
    record Exec(Instant at, long serial, long ses, int pid, int ppid, List<String> argv, String cwd, Long uid,
                Long auid, Boolean success, Long exit) implements AuditActivity {
        public Exec {
            Objects.requireNonNull(at, "at");
            argv = List.copyOf(argv);
        }

        /** The argv as one line a POSIX shell would read back as the same words. */
        public String commandLine() {
            return ShellWords.join(argv);
        }
    }

    /**
     * A file the session changed (a successful syscall only).
     *
     * @param operation  {@code write}, {@code remove}, {@code rename}, {@code mkdir}, {@code rmdir}, {@code setstat},
     *                   {@code link}, {@code symlink} (the words of {@code FileEvent})
     * @param path       the path, made absolute with the event's CWD where it was relative
     * @param targetPath the new name of a rename, the existing file of a link; else null
     * @param syscall    the syscall's name, e.g. {@code openat}
     */
    record FileChange(Instant at, long serial, long ses, Long auid, int pid, String operation, String path,
                      String targetPath, String syscall)
            implements AuditActivity {
        public FileChange {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(path, "path");
        }
    }

    /** A command sudo ran (its USER_CMD record): the command line as sudo logs it, where and whether it was allowed. */
    record SudoCommand(Instant at, long serial, long ses, Long auid, int pid, String command, String cwd,
                       String terminal, String result)
            implements AuditActivity {
        public SudoCommand {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(command, "command");
        }
    }
}
