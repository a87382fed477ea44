package org.ttyaudit.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.io.PrintStream;
import java.util.function.LongConsumer;

/**
 * The progress bar of a long import, on standard error. Shown only when standard error is a terminal (a bar in a
 * log file or a pipe is noise) and the log is large enough to take a while; otherwise every call does nothing.
 */
final class ImportProgress implements LongConsumer, AutoCloseable {
    /** Logs smaller than this import in about a second: no bar. */
    static final long MIN_BYTES = 16L * 1024 * 1024;

    private final ProgressBar bar;

    private ImportProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * A bar over {@code totalBytes} of log, or none.
     *
     * @param columns the terminal's width (the bar is fitted into it)
     */
    static ImportProgress start(String label, long totalBytes, boolean stderrIsTerminal, int columns,
                                PrintStream stderr) {
        if (!stderrIsTerminal || totalBytes < MIN_BYTES) {
            return new ImportProgress(null);
        }
        // A fixed width: the consumer would otherwise start JLine's terminal detection to ask for it.
        ProgressBar bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(totalBytes)
                .setUnit(" MiB", 1024 * 1024).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(stderr, Math.max(40, columns - 1)))
                .setUpdateIntervalMillis(250).build();
        return new ImportProgress(bar);
    }

    boolean shown() {
        return bar != null;
    }

    @Override
    public void accept(long bytesRead) {
        if (bar != null) {
            bar.stepTo(bytesRead);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
