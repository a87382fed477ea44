package org.ttyaudit.core.screen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reconstructs the command lines a user runs in a shell from what the terminal shows, for shells that do not
 * report them (no integration hooks: {@code bash --norc}, hooks removed, an unsupported shell).
 *
 * <p>Line editing, history recall, tab completion and reverse search all end up on the screen, so the tracker
 * keeps a {@link TerminalScreen} of the session's output and reads the line off it:
 * <ol>
 *   <li>The first key the user presses after an Enter marks where the prompt ended (the cursor position then)
 *       and the prompt's text.</li>
 *   <li>Enter in the input (CR or LF, outside a bracketed paste, not in the alternate screen) arms the tracker.
 *       The line is taken at the moment the shell moves the cursor down off the line (its echo of the line end;
 *       zsh sometimes moves down with CUD instead of LF): the whole logical line under the cursor (auto-wrapped
 *       rows joined) from the prompt's end. If the prompt was redrawn elsewhere (bash reprints it under a list
 *       of completions; Ctrl-L; a resize), the prompt's text is stripped from the start of the line instead.
 *       After a bracketed paste of several lines, the editor shows them on that many rows: they are taken too and
 *       joined with {@code \n} (the shell runs them all).</li>
 *   <li>A line the shell will continue ({@link ShellContinuation}: open {@code for … do}, quotes, a trailing
 *       backslash, a here-document) waits for the following lines and they are joined with {@code \n}. If the
 *       shell shows its primary prompt again instead, what was gathered is emitted as it is.</li>
 * </ol>
 * Ctrl-C drops a half-typed or half-continued command; an empty line is no command; nothing is taken while the
 * alternate screen is active (vim, less, top).
 *
 * <p>Whether a reconstructed command counts is the caller's decision (the recorder uses it only while the
 * foreground program is a shell without integration): inside {@code cat} or {@code read}, typed lines look like
 * commands too. Known limits: a prompt that ends exactly at the right margin; type-ahead typed while a command is
 * still printing falls back to stripping the last primary prompt's text; the Python REPL's {@code ...} blocks
 * are not joined.
 *
 * <p>{@link #forLogin}: a tracker that watches a login from its first byte (the SSH gateway's), where the host
 * prints a banner ({@code Last login: …}, the message of the day) before the shell's first prompt. A line typed
 * ahead of that prompt is echoed by the terminal as it was typed, wherever the cursor is, and a banner line going
 * down is not that echo: until a prompt has been seen, an Enter typed with nothing on the screen before the cursor,
 * or while the text before it was still being printed (a banner line arriving in pieces, on a loaded host), takes
 * only a line that ends with the text typed for it (the terminal's echo, or the shell's redisplay after its
 * prompt), and the command is that text; lines that do not (the banner) pass by. Known limit: a banner line that
 * stops half-drawn for longer than a prompt's quiet time before the key looks like a prompt.
 *
 * <p>Not thread-safe: call it from the one thread that handles the session's events, in stream order. Never
 * throws on any byte content. No allocation per byte.
 */
public final class ScreenCommandTracker {
    /** A key pressed at least this long after the last output was typed at a prompt that had finished drawing. */
    private static final long QUIET_MICROS = 50_000;
    /** Enters whose line end never showed (e.g. at a no-echo prompt) are forgotten beyond this many. */
    private static final int MAX_PENDING_ENTERS = 16;
    /** A line typed ahead of the first prompt is compared with its echo up to this many bytes. */
    private static final int MAX_TYPED = 4096;

    private static final int KEY_GROUND = 0;
    private static final int KEY_ESCAPE = 1;
    private static final int KEY_CSI = 2;
    private static final int KEY_SS3 = 3;

    private final TerminalScreen screen;
    private final boolean login;
    private final List<ScreenCommand> ready = new ArrayList<>();
    private final ArrayDeque<PendingEnter> pendingEnters = new ArrayDeque<>();

    private int keyState = KEY_GROUND;
    private int keyParam;
    private boolean inPaste;
    private boolean lastKeyWasCr;
    /** Line breaks pasted into the line being edited: the editor shows them as that many more rows. */
    private int pastedLineBreaks;

    private long lastOutputMicros = -1;
    private boolean awaitingLineStart = true;
    private boolean promptKnown;
    private long promptAbsRow;
    private int promptCol;
    private String promptText = "";
    private String primaryPrompt = "";

    /**
     * {@link #forLogin}: the current line was started before any prompt showed, with nothing before the cursor;
     * its Enter waits for the echo of {@link #typed}.
     */
    private boolean typedAhead;
    /** What was typed on the current line, as a terminal in cooked mode edits it (erase, kill, word erase). */
    private final byte[] typed = new byte[MAX_TYPED];
    private int typedLength;
    /** False once a key was typed whose echo is not its own text (Tab, an arrow, …): the echo cannot be checked. */
    private boolean typedKnown;

    /** The lines of a command the shell is still continuing, joined with \n; null when there is none. */
    private String continuation;
    private long continuationOffset;

    /**
     * Enter was pressed; the line is read when the shell shows its end.
     *
     * @param echoOf the line typed ahead of the first prompt, whose echo is its line ({@link #forLogin}); null when
     *               the line under the cursor is taken as it is
     */
    private record PendingEnter(long offsetMicros, int pastedLineBreaks, String echoOf) {
    }

    /**
     * @throws IllegalArgumentException if a dimension is not positive
     */
    public ScreenCommandTracker(int cols, int rows) {
        this(cols, rows, false);
    }

    private ScreenCommandTracker(int cols, int rows, boolean login) {
        this.screen = new TerminalScreen(cols, rows);
        this.login = login;
        screen.setCursorDownListener(this::lineMayEnd);
    }

    /**
     * A tracker for a session watched from its very start, whose host may print a banner before the shell's first
     * prompt: no banner line is taken for a command typed ahead of it (see the class comment).
     *
     * @throws IllegalArgumentException if a dimension is not positive
     */
    public static ScreenCommandTracker forLogin(int cols, int rows) {
        return new ScreenCommandTracker(cols, rows, true);
    }

    /** What the session wrote to the terminal. */
    public void onOutput(long offsetMicros, byte[] b, int off, int len) {
        lastOutputMicros = offsetMicros;
        screen.feed(b, off, len);
    }

    /** What the user typed. */
    public void onInput(long offsetMicros, byte[] b, int off, int len) {
        if (b == null || off < 0 || len <= 0 || off > b.length - len) {
            return;
        }
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            if (keyState == KEY_GROUND && awaitingLineStart && !screen.inAlternateScreen()) {
                markLineStart(offsetMicros);
            }
            switch (keyState) {
                case KEY_ESCAPE -> {
                    if (c == '[') {
                        keyState = KEY_CSI;
                        keyParam = 0;
                    } else {
                        keyState = c == 'O' ? KEY_SS3 : KEY_GROUND;
                    }
                }
                case KEY_CSI -> {
                    if (c >= '0' && c <= '9') {
                        keyParam = Math.min(keyParam * 10 + (c - '0'), 1_000_000);
                    } else if (c < 0x20 || c > 0x3F) {
                        // The final byte. Bracketed paste arrives as ESC[200~ ... ESC[201~.
                        if (c == '~' && keyParam == 200) {
                            inPaste = true;
                        } else if (c == '~' && keyParam == 201) {
                            inPaste = false;
                        }
                        keyState = KEY_GROUND;
                    }
                }
                case KEY_SS3 -> keyState = KEY_GROUND;
                default -> key(offsetMicros, c);
            }
        }
    }

    private void key(long offsetMicros, int c) {
        boolean cr = lastKeyWasCr;
        lastKeyWasCr = c == '\r';
        if (typedAhead && c != '\r' && c != '\n') {
            typedKey(c);
        }
        if (c == 0x1B) {
            keyState = KEY_ESCAPE;
        } else if ((c == '\r' || c == '\n') && inPaste) {
            if (c == '\r' || !cr) {
                pastedLineBreaks++;
            }
        } else if (c == '\r' || c == '\n') {
            if (screen.inAlternateScreen()) {
                return;
            }
            if (pendingEnters.size() == MAX_PENDING_ENTERS) {
                pendingEnters.removeFirst();
            }
            String echoOf = typedAhead && typedKnown ? typedText() : null;
            pendingEnters.addLast(new PendingEnter(offsetMicros, pastedLineBreaks, echoOf));
            pastedLineBreaks = 0;
            awaitingLineStart = true;
        } else if (c == 0x03 && !screen.inAlternateScreen()) {
            // The shell discards the line (and any continued command) and prints a fresh prompt.
            continuation = null;
            pastedLineBreaks = 0;
            awaitingLineStart = true;
        }
    }

    /** Keeps the text of a line typed ahead of the first prompt as a terminal in cooked mode edits it. */
    private void typedKey(int c) {
        if (c == 0x7F || c == 0x08) {   // erase: the last character (all bytes of a UTF-8 sequence)
            while (typedLength > 0 && (typed[--typedLength] & 0xC0) == 0x80) {
                // a continuation byte: keep going to the sequence's first byte
            }
        } else if (c == 0x15) {   // kill: the whole line
            typedLength = 0;
        } else if (c == 0x17) {   // word erase: blanks, then the word before them
            while (typedLength > 0 && typed[typedLength - 1] == ' ') {
                typedLength--;
            }
            while (typedLength > 0 && typed[typedLength - 1] != ' ') {
                typedLength--;
            }
        } else if (c < 0x20 || typedLength == MAX_TYPED) {
            typedKnown = false;   // Tab, an escape sequence, a line too long: its echo is not just the text
        } else {
            typed[typedLength++] = (byte) c;
        }
    }

    private String typedText() {
        String text = new String(typed, 0, typedLength, java.nio.charset.StandardCharsets.UTF_8);
        int end = text.length();
        while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** The terminal window changed size. */
    public void onResize(int cols, int rows) {
        screen.resize(cols, rows);
    }

    /** The commands reconstructed since the last call, in the order they were run. */
    public List<ScreenCommand> drainCommands() {
        List<ScreenCommand> out = List.copyOf(ready);
        ready.clear();
        return out;
    }

    /** The screen as the tracker sees it; for diagnostics and tests. */
    TerminalScreen screen() {
        return screen;
    }

    private void markLineStart(long offsetMicros) {
        awaitingLineStart = false;
        int row = screen.cursorRow();
        promptAbsRow = screen.scrolledOffRows() + row;
        promptCol = screen.cursorCol();
        StringBuilder sb = new StringBuilder(promptCol);
        screen.appendRowText(sb, row, 0, promptCol);
        promptText = sb.toString();
        promptKnown = true;
        boolean quiet = lastOutputMicros < 0 || offsetMicros - lastOutputMicros >= QUIET_MICROS;
        if (continuation != null) {
            if (!primaryPrompt.isBlank() && promptText.equals(primaryPrompt)) {
                // The shell did not continue the command after all (it saw a syntax error, or our lexer was
                // wrong): it ran or rejected what it had.
                emit(continuationOffset, continuation);
                continuation = null;
            }
        } else if (quiet && !promptText.isBlank()) {
            primaryPrompt = promptText;
        }
        // Text before the cursor that was still being printed when the key came (not quiet) may be a banner line
        // drawn in pieces, not a prompt: its rest is no command either, so such a line waits for its echo too.
        // (A prompt that had just appeared shows the echo as well: "prompt$ " + the typed text ends with it.)
        typedAhead = login && primaryPrompt.isBlank() && (promptText.isBlank() || !quiet);
        typedLength = 0;
        typedKnown = true;
        if (!primaryPrompt.isBlank()) {
            // The shell is at its prompt: a line typed ahead of it has shown its echo by now, or never will.
            pendingEnters.removeIf(e -> e.echoOf() != null);
        }
    }

    /** Called by the screen before the cursor moves down: if Enter was pressed, this is the line's end. */
    private void lineMayEnd() {
        if (pendingEnters.isEmpty() || screen.inAlternateScreen()) {
            return;
        }
        if (pendingEnters.peekFirst().echoOf() == null) {
            PendingEnter enter = pendingEnters.removeFirst();
            accept(enter.offsetMicros(), currentLine(enter.pastedLineBreaks()));
            return;
        }
        // Typed ahead of the first prompt: this line is the echo of the first Enter whose text it ends with, or
        // is output (a banner) that leaves them all waiting. Enters before the one it echoes never showed.
        String line = currentLine(0);
        int skip = 0;
        for (PendingEnter e : pendingEnters) {
            if (e.echoOf() == null || line.endsWith(e.echoOf())) {
                for (int i = 0; i < skip; i++) {
                    pendingEnters.removeFirst();
                }
                pendingEnters.removeFirst();
                accept(e.offsetMicros(), e.echoOf() != null ? e.echoOf() : currentLine(e.pastedLineBreaks()));
                return;
            }
            skip++;
        }
    }

    private void accept(long offset, String line) {
        String command = continuation == null ? line : continuation + "\n" + line;
        if (command.isBlank()) {
            return;
        }
        if (ShellContinuation.isIncomplete(command)) {
            continuation = command;
            continuationOffset = offset;
            return;
        }
        continuation = null;
        emit(offset, command);
    }

    private void emit(long offset, String command) {
        if (!command.isBlank()) {
            ready.add(new ScreenCommand(offset, command));
        }
    }

    /**
     * The logical line under the cursor (auto-wrapped rows joined), without the prompt; after a paste of several
     * lines, that many following logical lines too, joined with \n.
     */
    private String currentLine(int extraLines) {
        int cursor = screen.cursorRow();
        int first = cursor;
        while (first > 0 && screen.rowWrapped(first - 1)) {
            first--;
        }
        StringBuilder sb = new StringBuilder(screen.cols() * 2);
        long promptRow = promptAbsRow - screen.scrolledOffRows();
        if (promptKnown && promptRow >= first && promptRow <= cursor && promptStillAt((int) promptRow)) {
            appendLogicalLines(sb, (int) promptRow, promptCol, extraLines);
            return stripTrailing(sb);
        }
        // The prompt was redrawn elsewhere or scrolled away: recognise it by its text.
        appendLogicalLines(sb, first, 0, extraLines);
        String line = stripTrailing(sb);
        if (!promptText.isBlank() && line.startsWith(promptText)) {
            return line.substring(promptText.length());
        }
        if (!primaryPrompt.isBlank() && line.startsWith(primaryPrompt)) {
            return line.substring(primaryPrompt.length());
        }
        return line;
    }

    /** Appends {@code 1 + extra} logical lines starting at a row and column; lines end with \n between them. */
    private void appendLogicalLines(StringBuilder sb, int row, int col, int extra) {
        int cols = screen.cols();
        int r = row;
        int from = col;
        for (int line = 0; line <= extra && r < screen.rows(); line++) {
            if (line > 0) {
                trimTrailingBlanks(sb);
                sb.append('\n');
            }
            while (true) {
                screen.appendRowText(sb, r, from, cols);
                from = 0;
                if (!screen.rowWrapped(r) || r == screen.rows() - 1) {
                    r++;
                    break;
                }
                r++;
            }
        }
    }

    private static void trimTrailingBlanks(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
    }

    private boolean promptStillAt(int row) {
        StringBuilder sb = new StringBuilder(promptCol);
        screen.appendRowText(sb, row, 0, promptCol);
        return sb.toString().equals(promptText);
    }

    private static String stripTrailing(StringBuilder sb) {
        int end = sb.length();
        while (end > 0 && Character.isWhitespace(sb.charAt(end - 1))) {
            end--;
        }
        return sb.substring(0, end);
    }
}
