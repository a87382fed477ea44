package org.ttyaudit.core.screen;

import java.util.Arrays;

/**
 * A model of a VT100/xterm screen, good enough to see what a shell's line editor (bash readline, zsh ZLE, dash,
 * the Python REPL) shows: the text of every row, whether a row continues on the next one (auto-wrap), and the
 * cursor. Colours and other attributes are not kept; they do not change what a command line says.
 *
 * <p>Bytes are parsed with Paul Williams' DEC-compatible state machine (ground, escape, CSI, and OSC/DCS/SOS/PM/APC
 * strings, which are skipped up to BEL or ST). Text is decoded as UTF-8, also when a character is split across
 * {@link #feed} calls; malformed UTF-8 shows as U+FFFD. East Asian wide characters and emoji take two cells.
 *
 * <p>Supported: CR, LF, VT, FF, BS, HT (tab stops every 8 columns, HTS/TBC), IND/NEL/RI, CUU/CUD/CUF/CUB/CNL/CPL,
 * CUP/HVP/CHA/HPA/HPR/VPA/VPR, CHT/CBT, EL/ED, ICH/DCH/ECH, IL/DL, SU/SD, REP, DECSTBM scroll regions, DECOM,
 * DECAWM, IRM, DECSC/DECRC and CSI s/u, the alternate screen (?47, ?1047, ?1049), DECALN, DECSTR and RIS. Anything
 * else (SGR, bracketed paste, mouse and keypad modes, queries) is parsed and ignored.
 *
 * <p>Failure modes: {@link #feed} never throws, whatever the bytes; the cursor always stays on the screen. Sizes
 * are clamped to {@value #MAX_COLS} columns and {@value #MAX_ROWS} rows so a hostile window size cannot exhaust
 * memory. Performance: feeding does not allocate; only {@link #resize} and the text accessors do.
 *
 * <p>Not thread-safe: one thread feeds and reads it (the recorder's session loop).
 */
public final class TerminalScreen {
    /** The largest number of columns kept; wider windows are modelled as this wide. */
    public static final int MAX_COLS = 1000;
    /** The largest number of rows kept. */
    public static final int MAX_ROWS = 500;

    /** A cell nothing was written to, or that was erased. */
    private static final int BLANK = 0;
    /** The right half of a wide character; the character itself is in the cell to its left. */
    private static final int WIDE_TAIL = -1;
    /** The last cell of a row left empty because a wide character did not fit and wrapped to the next row. */
    private static final int WIDE_PAD = -2;
    private static final int REPLACEMENT = 0xFFFD;

    private static final int MAX_PARAMS = 16;
    private static final int MAX_PARAM_VALUE = 65535;

    private static final int GROUND = 0;
    private static final int ESCAPE = 1;
    private static final int ESCAPE_INTERMEDIATE = 2;
    private static final int CSI_ENTRY = 3;
    private static final int CSI_PARAM = 4;
    private static final int CSI_INTERMEDIATE = 5;
    private static final int CSI_IGNORE = 6;
    /** OSC, DCS, SOS, PM and APC: their content is skipped until BEL (OSC only) or ST. */
    private static final int STRING = 7;

    private int cols;
    private int rows;

    private int[][] mainCells;
    private boolean[] mainWrapped;
    private int[][] altCells;
    private boolean[] altWrapped;
    /** The buffer being shown: {@link #mainCells} or {@link #altCells}. */
    private int[][] cells;
    private boolean[] wrapped;
    private boolean alternate;
    private boolean[] tabStops;

    private int cx;
    private int cy;
    /** The cursor is in the last column and the next printed character first wraps (xterm's "xenl" behaviour). */
    private boolean pendingWrap;
    private int top;
    private int bottom;
    private boolean originMode;
    private boolean autoWrap = true;
    private boolean insertMode;
    private int lastPrinted = -1;

    private int savedX;
    private int savedY;
    private boolean savedPendingWrap;
    private boolean savedOriginMode;
    private int altSavedX;
    private int altSavedY;
    private boolean altSavedPendingWrap;
    private boolean altSavedOriginMode;

    private long scrolledOff;

    private int state = GROUND;
    private final int[] params = new int[MAX_PARAMS];
    private int paramCount;
    private boolean paramStarted;
    private int privateMarker;
    private int intermediate;
    private int intermediateCount;
    private boolean stringIsOsc;

    private int utfNeeded;
    private int utfCodePoint;
    private int utfMin;

    private CursorDownListener cursorDownListener;

    /**
     * Told just before the program moves the cursor down off its row: a line feed (LF, VT, FF, IND, NEL) or a
     * cursor movement to a lower row (CUD, CNL, VPA, VPR, CUP). Not told about auto-wrap, which continues a line.
     * Shells end the line the user entered with one of these, which is how the command tracker knows the moment
     * the line is final.
     */
    interface CursorDownListener {
        void beforeCursorDown();
    }

    /**
     * A blank screen of this size, cursor at the top left.
     *
     * @throws IllegalArgumentException if a dimension is not positive
     */
    public TerminalScreen(int cols, int rows) {
        allocate(checkDimension("cols", cols, MAX_COLS), checkDimension("rows", rows, MAX_ROWS));
        resetModes();
    }

    private static int checkDimension(String name, int value, int max) {
        if (value <= 0) {
            throw new IllegalArgumentException("terminal " + name + " must be positive, got " + value);
        }
        return Math.min(value, max);
    }

    private void allocate(int newCols, int newRows) {
        cols = newCols;
        rows = newRows;
        mainCells = new int[rows][cols];
        mainWrapped = new boolean[rows];
        altCells = new int[rows][cols];
        altWrapped = new boolean[rows];
        cells = mainCells;
        wrapped = mainWrapped;
        alternate = false;
        tabStops = new boolean[cols];
        defaultTabStops(0);
    }

    private void defaultTabStops(int from) {
        for (int c = from; c < cols; c++) {
            tabStops[c] = c % 8 == 0 && c > 0;
        }
    }

    private void resetModes() {
        top = 0;
        bottom = rows - 1;
        originMode = false;
        autoWrap = true;
        insertMode = false;
        pendingWrap = false;
    }

    void setCursorDownListener(CursorDownListener listener) {
        this.cursorDownListener = listener;
    }

    private void beforeCursorDown() {
        if (cursorDownListener != null) {
            cursorDownListener.beforeCursorDown();
        }
    }

    public int cols() {
        return cols;
    }

    public int rows() {
        return rows;
    }

    /** The cursor's row, 0-based from the top. */
    public int cursorRow() {
        return cy;
    }

    /** The cursor's column, 0-based; stays in the last column while a wrap is pending. */
    public int cursorCol() {
        return cx;
    }

    public boolean inAlternateScreen() {
        return alternate;
    }

    /**
     * How many rows have scrolled off the top of the main screen since it was created. Together with
     * {@link #cursorRow()} it gives a row a position that does not change when the screen scrolls.
     */
    public long scrolledOffRows() {
        return scrolledOff;
    }

    /** The text of a row of the screen being shown, trailing blanks removed. */
    public String rowText(int row) {
        checkRow(row);
        StringBuilder sb = new StringBuilder(cols);
        appendRowText(sb, row, 0, cols);
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        return sb.toString();
    }

    /** True when the text of this row continues on the next row because it was auto-wrapped. */
    public boolean rowWrapped(int row) {
        checkRow(row);
        return wrapped[row];
    }

    private void checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw new IllegalArgumentException("row " + row + " is outside the screen (0.." + (rows - 1) + ")");
        }
    }

    /**
     * Appends the characters of cells {@code [fromCol, toCol)} of a row, blanks as spaces, untrimmed.
     * Returns nothing; the caller measures what was appended.
     */
    void appendRowText(StringBuilder sb, int row, int fromCol, int toCol) {
        int[] line = cells[row];
        int end = Math.min(toCol, cols);
        for (int c = Math.max(0, fromCol); c < end; c++) {
            int cp = line[c];
            if (cp == BLANK) {
                sb.append(' ');
            } else if (cp > 0) {
                sb.appendCodePoint(cp);
            }
        }
    }

    /**
     * Changes the size. Text stays where it is (no reflow, as in xterm); if the cursor would fall below the new
     * bottom, rows scroll off the top so it stays on its line. Scroll region and margins are reset.
     *
     * @throws IllegalArgumentException if a dimension is not positive
     */
    public void resize(int newCols, int newRows) {
        newCols = checkDimension("cols", newCols, MAX_COLS);
        newRows = checkDimension("rows", newRows, MAX_ROWS);
        if (newCols == cols && newRows == rows) {
            return;
        }
        int shift = Math.max(0, cy - newRows + 1);
        int[][] newMain = copyCells(mainCells, newCols, newRows, alternate ? 0 : shift);
        boolean[] newMainWrapped = copyWrapped(mainWrapped, newRows, alternate ? 0 : shift, newCols);
        int[][] newAlt = copyCells(altCells, newCols, newRows, alternate ? shift : 0);
        boolean[] newAltWrapped = copyWrapped(altWrapped, newRows, alternate ? shift : 0, newCols);
        if (!alternate) {
            scrolledOff += shift;
        }
        boolean[] newTabs = Arrays.copyOf(tabStops, newCols);
        int oldCols = cols;
        cols = newCols;
        rows = newRows;
        mainCells = newMain;
        mainWrapped = newMainWrapped;
        altCells = newAlt;
        altWrapped = newAltWrapped;
        cells = alternate ? altCells : mainCells;
        wrapped = alternate ? altWrapped : mainWrapped;
        tabStops = newTabs;
        if (newCols > oldCols) {
            defaultTabStops(oldCols);
        }
        cy = clamp(cy - shift, 0, rows - 1);
        cx = clamp(cx, 0, cols - 1);
        savedX = clamp(savedX, 0, cols - 1);
        savedY = clamp(savedY - (alternate ? 0 : shift), 0, rows - 1);
        altSavedX = clamp(altSavedX, 0, cols - 1);
        altSavedY = clamp(altSavedY, 0, rows - 1);
        pendingWrap = false;
        top = 0;
        bottom = rows - 1;
    }

    private static int[][] copyCells(int[][] old, int newCols, int newRows, int shift) {
        int[][] result = new int[newRows][newCols];
        for (int r = 0; r < newRows && r + shift < old.length; r++) {
            int[] src = old[r + shift];
            int n = Math.min(src.length, newCols);
            System.arraycopy(src, 0, result[r], 0, n);
            // A wide character cut in half by the new right edge cannot be shown.
            if (n > 0 && n < src.length && src[n] == WIDE_TAIL) {
                result[r][n - 1] = BLANK;
            }
        }
        return result;
    }

    private static boolean[] copyWrapped(boolean[] old, int newRows, int shift, int newCols) {
        boolean[] result = new boolean[newRows];
        for (int r = 0; r < newRows && r + shift < old.length; r++) {
            result[r] = old[r + shift];
        }
        return result;
    }

    private static int clamp(int v, int lo, int hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    /** Feeds what the program wrote to the terminal. Never throws on any content. */
    public void feed(byte[] b, int off, int len) {
        if (b == null || off < 0 || len <= 0 || off > b.length - len) {
            return;
        }
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = b[i] & 0xFF;
            if (utfNeeded > 0) {
                if ((c & 0xC0) == 0x80) {
                    utfCodePoint = (utfCodePoint << 6) | (c & 0x3F);
                    if (--utfNeeded == 0) {
                        int cp = utfCodePoint;
                        boolean valid = cp >= utfMin && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
                        print(valid ? cp : REPLACEMENT);
                    }
                    continue;
                }
                // The sequence was cut short: show that, then treat this byte on its own.
                utfNeeded = 0;
                print(REPLACEMENT);
            }
            if (state == GROUND) {
                if (c >= 0x20 && c < 0x7F) {
                    print(c);
                } else if (c == 0x1B) {
                    enterEscape();
                } else if (c < 0x20) {
                    control(c);
                } else if (c >= 0x80) {
                    utf8Start(c);
                }
                continue;
            }
            nonGround(c);
        }
    }

    private void utf8Start(int c) {
        if (c >= 0xC2 && c <= 0xDF) {
            utfNeeded = 1;
            utfCodePoint = c & 0x1F;
            utfMin = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            utfNeeded = 2;
            utfCodePoint = c & 0x0F;
            utfMin = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            utfNeeded = 3;
            utfCodePoint = c & 0x07;
            utfMin = 0x10000;
        } else {
            print(REPLACEMENT);
        }
    }

    /** Bytes in every state but ground. */
    private void nonGround(int c) {
        if (c == 0x1B) {
            enterEscape();
            return;
        }
        if (c == 0x18 || c == 0x1A) {
            state = GROUND;
            return;
        }
        switch (state) {
            case ESCAPE -> escape(c);
            case ESCAPE_INTERMEDIATE -> {
                if (c < 0x20) {
                    control(c);
                } else if (c < 0x30) {
                    collectIntermediate(c);
                } else if (c < 0x7F) {
                    escDispatch(c);
                    state = GROUND;
                } else if (c > 0x7F) {
                    state = GROUND;
                }
            }
            case CSI_ENTRY, CSI_PARAM -> csiParam(c);
            case CSI_INTERMEDIATE -> {
                if (c < 0x20) {
                    control(c);
                } else if (c < 0x30) {
                    collectIntermediate(c);
                } else if (c < 0x40) {
                    state = CSI_IGNORE;
                } else if (c < 0x7F) {
                    csiDispatch(c);
                    state = GROUND;
                }
            }
            case CSI_IGNORE -> {
                if (c < 0x20) {
                    control(c);
                } else if (c >= 0x40 && c < 0x7F) {
                    state = GROUND;
                }
            }
            case STRING -> {
                if (c == 0x07 && stringIsOsc) {
                    state = GROUND;
                }
                // Everything else, UTF-8 included, is the string's content: skipped.
            }
            default -> state = GROUND;
        }
    }

    private void enterEscape() {
        state = ESCAPE;
        intermediate = 0;
        intermediateCount = 0;
    }

    private void collectIntermediate(int c) {
        if (intermediateCount == 0) {
            intermediate = c;
        }
        intermediateCount++;
    }

    private void escape(int c) {
        if (c < 0x20) {
            control(c);
        } else if (c < 0x30) {
            collectIntermediate(c);
            state = ESCAPE_INTERMEDIATE;
        } else if (c == '[') {
            state = CSI_ENTRY;
            paramCount = 0;
            paramStarted = false;
            params[0] = 0;
            privateMarker = 0;
            intermediate = 0;
            intermediateCount = 0;
        } else if (c == ']') {
            state = STRING;
            stringIsOsc = true;
        } else if (c == 'P' || c == 'X' || c == '^' || c == '_') {
            state = STRING;
            stringIsOsc = false;
        } else if (c < 0x7F) {
            escDispatch(c);
            state = GROUND;
        } else if (c > 0x7F) {
            state = GROUND;
        }
    }

    private void csiParam(int c) {
        if (c < 0x20) {
            control(c);
        } else if (c >= '0' && c <= '9') {
            if (paramCount < MAX_PARAMS) {
                int v = params[paramCount] * 10 + (c - '0');
                params[paramCount] = Math.min(v, MAX_PARAM_VALUE);
            }
            paramStarted = true;
            state = CSI_PARAM;
        } else if (c == ';' || c == ':') {
            // ':' separates SGR sub-parameters; SGR is ignored, so treating it like ';' is harmless.
            if (paramCount < MAX_PARAMS) {
                paramCount++;
                if (paramCount < MAX_PARAMS) {
                    params[paramCount] = 0;
                }
            }
            paramStarted = true;
            state = CSI_PARAM;
        } else if (c >= 0x3C && c <= 0x3F) {
            if (state == CSI_ENTRY) {
                privateMarker = c;
                state = CSI_PARAM;
            } else {
                state = CSI_IGNORE;
            }
        } else if (c < 0x30) {
            collectIntermediate(c);
            state = CSI_INTERMEDIATE;
        } else if (c < 0x7F) {
            csiDispatch(c);
            state = GROUND;
        } else if (c > 0x7F) {
            state = CSI_IGNORE;
        }
    }

    private int paramTotal() {
        if (!paramStarted) {
            return 0;
        }
        return Math.min(paramCount + 1, MAX_PARAMS);
    }

    /** Parameter i, or {@code def} when it is missing or zero (the VT convention for counts and positions). */
    private int param(int i, int def) {
        if (i >= paramTotal()) {
            return def;
        }
        int v = params[i];
        return v == 0 ? def : v;
    }

    private void control(int c) {
        switch (c) {
            case 0x08 -> {
                if (cx > 0) {
                    cx--;
                }
                pendingWrap = false;
            }
            case 0x09 -> {
                pendingWrap = false;
                tabForward(1);
            }
            case 0x0A, 0x0B, 0x0C -> {
                beforeCursorDown();
                index();
            }
            case 0x0D -> {
                cx = 0;
                pendingWrap = false;
            }
            default -> {
                // BEL, SO/SI (character sets) and the rest change nothing on the screen.
            }
        }
    }

    private void tabForward(int n) {
        for (int i = 0; i < n && cx < cols - 1; i++) {
            cx++;
            while (cx < cols - 1 && !tabStops[cx]) {
                cx++;
            }
        }
    }

    private void tabBackward(int n) {
        for (int i = 0; i < n && cx > 0; i++) {
            cx--;
            while (cx > 0 && !tabStops[cx]) {
                cx--;
            }
        }
    }

    private void escDispatch(int c) {
        if (intermediateCount > 0) {
            if (intermediate == '#' && c == '8') {
                alignmentTest();
            }
            // Character set designations (ESC ( B and friends) do not change the text we keep.
            return;
        }
        switch (c) {
            case '7' -> saveCursor();
            case '8' -> restoreCursor();
            case 'D' -> {
                beforeCursorDown();
                index();
            }
            case 'E' -> {
                beforeCursorDown();
                index();
                cx = 0;
            }
            case 'M' -> reverseIndex();
            case 'H' -> tabStops[cx] = true;
            case 'c' -> fullReset();
            default -> {
                // Keypad modes (ESC = / ESC >) and the rest are not about the text.
            }
        }
    }

    private void csiDispatch(int c) {
        if (intermediateCount > 0) {
            if (intermediate == '!' && c == 'p' && privateMarker == 0) {
                softReset();
            }
            return;
        }
        if (privateMarker == '?') {
            switch (c) {
                case 'h' -> setPrivateModes(true);
                case 'l' -> setPrivateModes(false);
                case 'J' -> eraseInDisplay(params[0]);
                case 'K' -> eraseInLine(params[0]);
                default -> {
                }
            }
            return;
        }
        if (privateMarker != 0) {
            return;
        }
        switch (c) {
            case '@' -> insertChars(param(0, 1));
            case 'A' -> cursorUp(param(0, 1));
            case 'B', 'e' -> cursorDown(param(0, 1));
            case 'C', 'a' -> moveTo(cy, cx + param(0, 1));
            case 'D' -> moveTo(cy, cx - param(0, 1));
            case 'E' -> {
                cursorDown(param(0, 1));
                cx = 0;
            }
            case 'F' -> {
                cursorUp(param(0, 1));
                cx = 0;
            }
            case 'G', '`' -> moveTo(cy, param(0, 1) - 1);
            case 'H', 'f' -> cursorPosition(param(0, 1), param(1, 1));
            case 'I' -> {
                pendingWrap = false;
                tabForward(param(0, 1));
            }
            case 'Z' -> {
                pendingWrap = false;
                tabBackward(param(0, 1));
            }
            case 'J' -> eraseInDisplay(params[0]);
            case 'K' -> eraseInLine(params[0]);
            case 'L' -> insertLines(param(0, 1));
            case 'M' -> deleteLines(param(0, 1));
            case 'P' -> deleteChars(param(0, 1));
            case 'S' -> scrollUp(top, bottom, param(0, 1));
            case 'T' -> scrollDown(top, bottom, param(0, 1));
            case 'X' -> eraseChars(param(0, 1));
            case 'b' -> repeatLast(param(0, 1));
            case 'd' -> {
                int row = param(0, 1) - 1 + (originMode ? top : 0);
                moveTo(originMode ? clamp(row, top, bottom) : row, cx);
            }
            case 'g' -> clearTabStops(params[0]);
            case 'h' -> setModes(true);
            case 'l' -> setModes(false);
            case 'r' -> setScrollRegion(param(0, 1), param(1, rows));
            case 's' -> saveCursor();
            case 'u' -> restoreCursor();
            default -> {
                // SGR (m), device status and attribute queries (n, c), window ops (t), etc.
            }
        }
    }

    private void setModes(boolean on) {
        for (int i = 0; i < paramTotal(); i++) {
            if (params[i] == 4) {
                insertMode = on;
            }
        }
    }

    private void setPrivateModes(boolean on) {
        for (int i = 0; i < paramTotal(); i++) {
            switch (params[i]) {
                case 6 -> {
                    originMode = on;
                    cursorPosition(1, 1);
                }
                case 7 -> {
                    autoWrap = on;
                    if (!on) {
                        pendingWrap = false;
                    }
                }
                case 47 -> switchScreen(on);
                case 1047 -> {
                    if (!on && alternate) {
                        clearAll(altCells, altWrapped);
                    }
                    switchScreen(on);
                }
                case 1048 -> {
                    if (on) {
                        saveCursor();
                    } else {
                        restoreCursor();
                    }
                }
                case 1049 -> {
                    if (on) {
                        if (!alternate) {
                            saveCursor();
                            switchScreen(true);
                            clearAll(altCells, altWrapped);
                        }
                    } else if (alternate) {
                        switchScreen(false);
                        restoreCursor();
                    }
                }
                default -> {
                    // Cursor keys (1), cursor visibility (25), mouse modes, bracketed paste (2004), ...
                }
            }
        }
    }

    private void switchScreen(boolean toAlternate) {
        if (toAlternate == alternate) {
            return;
        }
        // DECSC state is kept per screen, as xterm does, so a program's saves in the alternate screen do not
        // disturb the shell's.
        swapSavedCursor();
        alternate = toAlternate;
        cells = alternate ? altCells : mainCells;
        wrapped = alternate ? altWrapped : mainWrapped;
        pendingWrap = false;
    }

    private void swapSavedCursor() {
        int x = savedX;
        int y = savedY;
        boolean p = savedPendingWrap;
        boolean o = savedOriginMode;
        savedX = altSavedX;
        savedY = altSavedY;
        savedPendingWrap = altSavedPendingWrap;
        savedOriginMode = altSavedOriginMode;
        altSavedX = x;
        altSavedY = y;
        altSavedPendingWrap = p;
        altSavedOriginMode = o;
    }

    private void saveCursor() {
        savedX = cx;
        savedY = cy;
        savedPendingWrap = pendingWrap;
        savedOriginMode = originMode;
    }

    private void restoreCursor() {
        cx = clamp(savedX, 0, cols - 1);
        cy = clamp(savedY, 0, rows - 1);
        originMode = savedOriginMode;
        pendingWrap = savedPendingWrap && autoWrap && cx == cols - 1;
    }

    private void softReset() {
        resetModes();
        savedX = 0;
        savedY = 0;
        savedPendingWrap = false;
        savedOriginMode = false;
    }

    private void fullReset() {
        clearAll(mainCells, mainWrapped);
        clearAll(altCells, altWrapped);
        cells = mainCells;
        wrapped = mainWrapped;
        alternate = false;
        defaultTabStops(0);
        softReset();
        altSavedX = 0;
        altSavedY = 0;
        altSavedPendingWrap = false;
        altSavedOriginMode = false;
        cx = 0;
        cy = 0;
        lastPrinted = -1;
    }

    private void alignmentTest() {
        for (int r = 0; r < rows; r++) {
            Arrays.fill(cells[r], 'E');
            wrapped[r] = false;
        }
        resetModes();
        cx = 0;
        cy = 0;
    }

    private static void clearAll(int[][] grid, boolean[] flags) {
        for (int[] row : grid) {
            Arrays.fill(row, BLANK);
        }
        Arrays.fill(flags, false);
    }

    private void setScrollRegion(int t, int b) {
        int newTop = t - 1;
        int newBottom = Math.min(b, rows) - 1;
        if (newTop < newBottom) {
            top = newTop;
            bottom = newBottom;
            cursorPosition(1, 1);
        }
    }

    private void clearTabStops(int mode) {
        if (mode == 0) {
            tabStops[cx] = false;
        } else if (mode == 3) {
            Arrays.fill(tabStops, false);
        }
    }

    private void cursorPosition(int row1, int col1) {
        int row = row1 - 1;
        if (originMode) {
            row = clamp(row + top, top, bottom);
        }
        moveTo(row, col1 - 1);
    }

    private void moveTo(int row, int col) {
        if (row > cy) {
            beforeCursorDown();
        }
        cy = clamp(row, 0, rows - 1);
        cx = clamp(col, 0, cols - 1);
        pendingWrap = false;
    }

    private void cursorUp(int n) {
        int limit = cy >= top ? top : 0;
        cy = Math.max(limit, cy - n);
        pendingWrap = false;
    }

    private void cursorDown(int n) {
        int limit = cy <= bottom ? bottom : rows - 1;
        if (cy < limit) {
            beforeCursorDown();
        }
        cy = Math.min(limit, cy + n);
        pendingWrap = false;
    }

    private void index() {
        pendingWrap = false;
        if (cy == bottom) {
            scrollUp(top, bottom, 1);
        } else if (cy < rows - 1) {
            cy++;
        }
    }

    private void reverseIndex() {
        pendingWrap = false;
        if (cy == top) {
            scrollDown(top, bottom, 1);
        } else if (cy > 0) {
            cy--;
        }
    }

    /** Moves rows {@code [from+n, to]} up to {@code from}, blanking the n rows at the bottom. Reuses the arrays. */
    private void scrollUp(int from, int to, int n) {
        int height = to - from + 1;
        n = Math.min(n, height);
        if (n <= 0) {
            return;
        }
        if (!alternate && from == 0) {
            scrolledOff += n;
        }
        rotateUp(from, to, n);
    }

    private void rotateUp(int from, int to, int n) {
        int height = to - from + 1;
        for (int k = 0; k < n; k++) {
            int[] first = cells[from];
            System.arraycopy(cells, from + 1, cells, from, height - 1);
            System.arraycopy(wrapped, from + 1, wrapped, from, height - 1);
            Arrays.fill(first, BLANK);
            cells[to] = first;
            wrapped[to] = false;
        }
    }

    private void scrollDown(int from, int to, int n) {
        int height = to - from + 1;
        n = Math.min(n, height);
        for (int k = 0; k < n; k++) {
            int[] last = cells[to];
            System.arraycopy(cells, from, cells, from + 1, height - 1);
            System.arraycopy(wrapped, from, wrapped, from + 1, height - 1);
            Arrays.fill(last, BLANK);
            cells[from] = last;
            wrapped[from] = false;
        }
    }

    private void insertLines(int n) {
        if (cy < top || cy > bottom) {
            return;
        }
        scrollDown(cy, bottom, n);
        cx = 0;
        pendingWrap = false;
    }

    private void deleteLines(int n) {
        if (cy < top || cy > bottom) {
            return;
        }
        rotateUp(cy, bottom, Math.min(n, bottom - cy + 1));
        cx = 0;
        pendingWrap = false;
    }

    private void eraseInDisplay(int mode) {
        switch (mode) {
            case 0 -> {
                eraseInLine(0);
                for (int r = cy + 1; r < rows; r++) {
                    Arrays.fill(cells[r], BLANK);
                    wrapped[r] = false;
                }
            }
            case 1 -> {
                eraseInLine(1);
                for (int r = 0; r < cy; r++) {
                    Arrays.fill(cells[r], BLANK);
                    wrapped[r] = false;
                }
            }
            case 2, 3 -> {
                for (int r = 0; r < rows; r++) {
                    Arrays.fill(cells[r], BLANK);
                    wrapped[r] = false;
                }
            }
            default -> {
            }
        }
    }

    private void eraseInLine(int mode) {
        int[] line = cells[cy];
        switch (mode) {
            case 0 -> {
                fixWideBoundary(line, cx);
                Arrays.fill(line, cx, cols, BLANK);
                // What was at the right margin is gone, so the row no longer runs on into the next one.
                wrapped[cy] = false;
            }
            case 1 -> {
                fixWideBoundary(line, cx + 1);
                Arrays.fill(line, 0, cx + 1, BLANK);
            }
            case 2 -> {
                Arrays.fill(line, BLANK);
                wrapped[cy] = false;
            }
            default -> {
                return;
            }
        }
        pendingWrap = false;
    }

    /** Before cells from {@code col} on change, a wide character straddling {@code col-1|col} loses its head. */
    private void fixWideBoundary(int[] line, int col) {
        if (col > 0 && col < cols && line[col] == WIDE_TAIL) {
            line[col - 1] = BLANK;
            line[col] = BLANK;
        }
    }

    private void insertChars(int n) {
        int[] line = cells[cy];
        n = Math.min(n, cols - cx);
        fixWideBoundary(line, cx);
        System.arraycopy(line, cx, line, cx + n, cols - cx - n);
        Arrays.fill(line, cx, cx + n, BLANK);
        if (line[cols - 1] > 0 && CharWidth.of(line[cols - 1]) == 2) {
            line[cols - 1] = BLANK;
        }
        pendingWrap = false;
    }

    private void deleteChars(int n) {
        int[] line = cells[cy];
        n = Math.min(n, cols - cx);
        fixWideBoundary(line, cx);
        fixWideBoundary(line, cx + n);
        System.arraycopy(line, cx + n, line, cx, cols - cx - n);
        Arrays.fill(line, cols - n, cols, BLANK);
        pendingWrap = false;
    }

    private void eraseChars(int n) {
        int[] line = cells[cy];
        int end = Math.min(cols, cx + n);
        fixWideBoundary(line, cx);
        fixWideBoundary(line, end);
        Arrays.fill(line, cx, end, BLANK);
        pendingWrap = false;
    }

    private void repeatLast(int n) {
        if (lastPrinted < 0) {
            return;
        }
        int cp = lastPrinted;
        // Bounded by the screen's size: repeating more than that only overwrites the same cells again.
        int count = Math.min(n, cols * rows);
        for (int i = 0; i < count; i++) {
            print(cp);
        }
    }

    private void print(int cp) {
        int width;
        if (cp < 0x7F) {
            width = 1;
        } else if (cp < 0xA0) {
            return; // C1 controls decoded from UTF-8 show nothing.
        } else {
            width = CharWidth.of(cp);
            if (width == 0) {
                return; // Combining marks would join the previous cell; the base character carries the text.
            }
            if (width == 2 && cols < 2) {
                cp = REPLACEMENT;
                width = 1;
            }
        }
        if (pendingWrap) {
            wrapToNextRow();
        }
        int[] line = cells[cy];
        if (width == 2 && cx == cols - 1) {
            if (autoWrap) {
                fixWideBoundary(line, cx);
                line[cx] = WIDE_PAD;
                wrapToNextRow();
                line = cells[cy];
            } else {
                cx = cols - 2;
            }
        }
        if (insertMode) {
            fixWideBoundary(line, cx);
            System.arraycopy(line, cx, line, cx + width, cols - cx - width);
        }
        // Overwriting half of a wide character erases the other half.
        if (line[cx] == WIDE_TAIL && cx > 0) {
            line[cx - 1] = BLANK;
        }
        int after = cx + width;
        if (after < cols && line[after] == WIDE_TAIL) {
            line[after] = BLANK;
        }
        line[cx] = cp;
        if (width == 2) {
            line[cx + 1] = WIDE_TAIL;
        }
        lastPrinted = cp;
        if (after >= cols) {
            cx = cols - 1;
            pendingWrap = autoWrap;
        } else {
            cx = after;
        }
    }

    private void wrapToNextRow() {
        pendingWrap = false;
        wrapped[cy] = true;
        cx = 0;
        index();
    }
}
