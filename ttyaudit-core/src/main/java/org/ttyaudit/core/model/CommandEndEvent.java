package org.ttyaudit.core.model;

/** The command with this id finished. {@code exitCode} is null when the source cannot know it. */
public record CommandEndEvent(long offsetMicros, long commandId, Integer exitCode) implements Event {
    public CommandEndEvent {
        Offsets.check(offsetMicros);
    }

    @Override
    public String kind() {
        return "command-end";
    }
}
