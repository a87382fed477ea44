package org.ttyaudit.core.model;

import java.util.List;
import java.util.Objects;

/**
 * A program run in the session: seen running in /proc by the recorder (also those started by scripts), or an
 * {@code execve} a Linux audit log reports ({@code ttyaudit ingest-audit}). {@code cwd} may be null.
 *
 * <p>Only the audit log knows who ran it and how the call ended; the recorder's /proc view leaves these null.
 *
 * @param uid     the real uid of the process ({@code uid=} of the audit SYSCALL record), or null when unknown
 * @param auid    its login uid ({@code auid=}; 4294967295 is the kernel's "unset"), or null when unknown
 * @param success whether the execve succeeded ({@code success=yes|no}), or null when unknown
 * @param exit    the execve's return value ({@code exit=}: 0, or a negative errno), or null when unknown
 */
public record ExecEvent(long offsetMicros, int pid, int ppid, List<String> argv, String cwd, Long uid, Long auid,
                        Boolean success, Integer exit) implements Event {
    /** The largest uid or login uid: they are unsigned 32-bit numbers. */
    public static final long MAX_ID = 0xFFFF_FFFFL;

    public ExecEvent {
        Offsets.check(offsetMicros);
        argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
        checkId("uid", uid);
        checkId("auid", auid);
    }

    /** A process the recorder saw, without ids or result. */
    public ExecEvent(long offsetMicros, int pid, int ppid, List<String> argv, String cwd) {
        this(offsetMicros, pid, ppid, argv, cwd, null, null, null, null);
    }

    /** Whether any of uid, auid, success and exit is known (such an event has its own encoding, docs/FORMAT.md). */
    public boolean hasIdsOrResult() {
        return uid != null || auid != null || success != null || exit != null;
    }

    private static void checkId(String what, Long id) {
        if (id != null && (id < 0 || id > MAX_ID)) {
            throw new IllegalArgumentException(what + " must be 0.." + MAX_ID + ", not " + id);
        }
    }

    @Override
    public String kind() {
        return "exec";
    }
}
