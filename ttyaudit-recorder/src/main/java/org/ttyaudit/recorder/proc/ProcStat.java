package org.ttyaudit.recorder.proc;

import java.util.Objects;

/**
 * The fields of {@code /proc/PID/stat} that the sampler needs.
 *
 * @param pid        field 1
 * @param comm       field 2 without its parentheses; the kernel's 15-character program name, which may itself
 *                   contain spaces and parentheses
 * @param state      field 3 ({@code R}, {@code S}, {@code Z} for a zombie, ...)
 * @param ppid       field 4
 * @param session    field 6: the session id
 * @param startTime  field 22: start time in clock ticks after boot; with the pid it identifies a process even
 *                   when pids are reused
 * @param startCode  field 26, {@code endCode} field 27, {@code startStack} field 28: they change when the process
 *                   {@code exec}s (a new address space; the stack is randomised), so they reveal an exec without
 *                   reading {@code cmdline}. The kernel shows 0 for processes the reader may not trace.
 */
record ProcStat(int pid, String comm, char state, int ppid, int session, long startTime, long startCode,
                long endCode, long startStack) {
    ProcStat {
        Objects.requireNonNull(comm, "comm");
    }

    /** Whether the process is a zombie (exited, not yet reaped: no cmdline, no cwd). */
    boolean zombie() {
        return state == 'Z';
    }

    /** Whether this and {@code other} describe the same program image (no exec in between, as far as visible). */
    boolean sameImage(ProcStat other) {
        return comm.equals(other.comm) && startCode == other.startCode && endCode == other.endCode
                && startStack == other.startStack;
    }

    /**
     * Parses the text of {@code /proc/PID/stat}. {@code comm} is delimited by the first '(' and the
     * <em>last</em> ')', because the program name may contain both.
     *
     * @throws IllegalArgumentException naming what is wrong, when the text is not a stat line
     */
    static ProcStat parse(CharSequence text) {
        int open = indexOf(text, '(');
        int close = lastIndexOf(text, ')');
        if (open < 1 || close < open) {
            throw new IllegalArgumentException("not a /proc stat line: no '(comm)'");
        }
        int pid = (int) parseLong(text, 0, open - 1, "pid");
        String comm = text.subSequence(open + 1, close).toString();
        // Fields from 3 on are separated by single spaces.
        long[] fields = new long[29];
        char state = 0;
        int field = 3;
        int pos = close + 2;
        int length = text.length();
        while (field <= 28 && pos < length) {
            int end = pos;
            while (end < length && text.charAt(end) != ' ' && text.charAt(end) != '\n') {
                end++;
            }
            if (field == 3) {
                if (end - pos != 1) {
                    throw new IllegalArgumentException("not a /proc stat line: bad state field");
                }
                state = text.charAt(pos);
            } else if (field == 4 || field == 6 || field == 22 || field >= 26) {
                // Only the fields used are parsed; others (e.g. rsslim, an unsigned 64-bit value) are skipped.
                fields[field] = parseLong(text, pos, end, "field " + field);
            } else if (end == pos) {
                throw new IllegalArgumentException("not a /proc stat line: empty field " + field);
            }
            field++;
            pos = end + 1;
        }
        if (field <= 28) {
            throw new IllegalArgumentException("not a /proc stat line: only " + (field - 1) + " of 28 fields");
        }
        return new ProcStat(pid, comm, state, (int) fields[4], (int) fields[6], fields[22], fields[26], fields[27],
                fields[28]);
    }

    private static long parseLong(CharSequence text, int from, int to, String what) {
        if (from >= to) {
            throw new IllegalArgumentException("not a /proc stat line: empty " + what);
        }
        boolean negative = text.charAt(from) == '-';
        int i = negative ? from + 1 : from;
        if (i >= to || to - i > 20) {
            throw new IllegalArgumentException("not a /proc stat line: bad number in " + what);
        }
        long value = 0;
        for (; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a /proc stat line: bad number in " + what);
            }
            value = value * 10 + (c - '0'); // 20 digits wrap like an unsigned 64-bit value
        }
        return negative ? -value : value;
    }

    private static int indexOf(CharSequence text, char c) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(CharSequence text, char c) {
        for (int i = text.length() - 1; i >= 0; i--) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }
}
