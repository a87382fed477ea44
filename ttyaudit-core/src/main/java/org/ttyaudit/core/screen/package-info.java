/**
 * The terminal screen model and command reconstruction from it: the second of the three command sources in
 * DESIGN.md ("keystrokes and screen"), used when a shell reports nothing itself.
 *
 * <p>{@link org.ttyaudit.core.screen.TerminalScreen} is a VT100/xterm emulator fed with a session's output;
 * {@link org.ttyaudit.core.screen.ScreenCommandTracker} feeds one with output, watches the input for Enter,
 * Ctrl-C and bracketed pastes, and yields {@link org.ttyaudit.core.screen.ScreenCommand}s. The tests replay
 * byte streams captured from real bash and zsh ({@code src/test/resources/org/ttyaudit/core/screen/capture/},
 * recaptured with {@code capture.py} there).
 */
package org.ttyaudit.core.screen;
