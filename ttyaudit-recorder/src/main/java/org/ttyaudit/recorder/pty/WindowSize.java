package org.ttyaudit.recorder.pty;

/** A terminal window size in character cells. */
public record WindowSize(int cols, int rows) {
    /** What a terminal of unknown size (a pipe, {@code ssh -tt} without a terminal) is given. */
    public static final WindowSize DEFAULT = new WindowSize(80, 24);

    public WindowSize {
        if (cols < 0 || rows < 0 || cols > 0xFFFF || rows > 0xFFFF) {
            throw new IllegalArgumentException("window size out of range: " + cols + "x" + rows);
        }
    }

    /** This size, or {@link #DEFAULT} when a dimension is zero (as the kernel reports for an unsized pty). */
    public WindowSize orDefault() {
        return cols == 0 || rows == 0 ? DEFAULT : this;
    }

    @Override
    public String toString() {
        return cols + "x" + rows;
    }
}
