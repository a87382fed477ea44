package org.ttyaudit.core.model;

import java.util.Objects;

/**
 * A command started: the exact command line as the user ran it and the working directory.
 * {@code commandId} pairs it with its {@link CommandEndEvent}; ids are unique within a session.
 * {@code cwd} may be null when the source cannot know it.
 */
public record CommandStartEvent(long offsetMicros, long commandId, String commandLine, String cwd,
                                CommandSource source) implements Event {
    public CommandStartEvent {
        Offsets.check(offsetMicros);
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String kind() {
        return "command-start";
    }
}
