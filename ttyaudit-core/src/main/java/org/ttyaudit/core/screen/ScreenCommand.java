package org.ttyaudit.core.screen;

import java.util.Objects;

/**
 * A command line reconstructed from the screen.
 *
 * @param offsetMicros when the user pressed the Enter that made the shell run it (µs since the session started)
 * @param commandLine  the line as the user saw it when they pressed Enter, without the prompt; the lines of a
 *                     command continued over several prompts ({@code for … do}, a trailing {@code \}) are joined
 *                     with {@code \n}, exactly as typed (a trailing backslash stays)
 */
public record ScreenCommand(long offsetMicros, String commandLine) {
    public ScreenCommand {
        if (offsetMicros < 0) {
            throw new IllegalArgumentException("offsetMicros must not be negative: " + offsetMicros);
        }
        Objects.requireNonNull(commandLine, "commandLine");
        if (commandLine.isBlank()) {
            throw new IllegalArgumentException("a screen command must not be blank");
        }
    }
}
