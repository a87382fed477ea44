package org.ttyaudit.core.model;

import java.util.List;
import java.util.Objects;

/** A process seen running in the session (from /proc): also those started by scripts. {@code cwd} may be null. */
public record ExecEvent(long offsetMicros, int pid, int ppid, List<String> argv, String cwd) implements Event {
    public ExecEvent {
        Offsets.check(offsetMicros);
        argv = List.copyOf(Objects.requireNonNull(argv, "argv"));
    }

    @Override
    public String kind() {
        return "exec";
    }
}
