package org.ttyaudit.recorder.pty;

/**
 * How a process ended: an exit code, or the signal that killed it.
 *
 * @param code   the exit code (0–255) when it exited normally
 * @param signal the signal number when a signal killed it, else 0
 */
public record ExitStatus(int code, int signal) {
    static ExitStatus fromWaitStatus(int status) {
        int termSignal = status & 0x7F;
        if (termSignal == 0) {
            return new ExitStatus((status >>> 8) & 0xFF, 0);
        }
        return new ExitStatus(0, termSignal);
    }

    public boolean killedBySignal() {
        return signal != 0;
    }

    /** The status a shell reports for this process: the exit code, or 128+N for signal N. */
    public int shellStatus() {
        return killedBySignal() ? 128 + signal : code;
    }
}
