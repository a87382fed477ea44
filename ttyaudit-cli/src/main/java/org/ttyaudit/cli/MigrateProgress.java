package org.ttyaudit.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.ttyaudit.server.migrate.MigrationProgress;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * How {@code ttyaudit migrate} shows its progress on standard error: when it is a terminal, a bar per phase
 * (blobs, each table, the ledger check) in the style of {@link ImportProgress}; otherwise (a log, a pipe) a line
 * when a phase starts and then at most one every {@link #LINE_EVERY_NANOS} while it runs.
 */
final class MigrateProgress implements MigrationProgress, AutoCloseable {
    static final long LINE_EVERY_NANOS = 5_000_000_000L;

    private final PrintStream terminal;
    private final int columns;
    private final PrintWriter lines;
    private final LongSupplier nanoTime;
    private ProgressBar bar;
    private String phase;
    private long total;
    private long lastLine;

    private MigrateProgress(PrintStream terminal, int columns, PrintWriter lines, LongSupplier nanoTime) {
        this.terminal = terminal;
        this.columns = columns;
        this.lines = lines;
        this.nanoTime = nanoTime;
    }

    /** Bars on {@code stderr} when {@code stderrIsTerminal}, else lines on {@code lines}. */
    static MigrateProgress start(boolean stderrIsTerminal, int columns, PrintStream stderr, PrintWriter lines,
                                 LongSupplier nanoTime) {
        return new MigrateProgress(stderrIsTerminal ? stderr : null, columns, lines, nanoTime);
    }

    @Override
    public void phase(String name, long total) {
        closeBar();
        this.phase = name;
        this.total = total;
        if (terminal != null) {
            // a fixed width: the consumer would otherwise start JLine's terminal detection to ask for it
            bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(Math.max(total, 1))
                    .setConsumer(new ConsoleProgressBarConsumer(terminal, Math.max(40, columns - 1)))
                    .showSpeed().setUpdateIntervalMillis(250).build();
        } else {
            lines.println("migrate: " + name + ": " + total + " to do");
            lastLine = nanoTime.getAsLong();
        }
    }

    @Override
    public void advance(long done) {
        if (bar != null) {
            bar.stepTo(done);
        } else if (terminal == null && phase != null && nanoTime.getAsLong() - lastLine >= LINE_EVERY_NANOS) {
            lines.println("migrate: " + phase + ": " + done + " of " + total);
            lastLine = nanoTime.getAsLong();
        }
    }

    @Override
    public void note(String message) {
        closeBar();
        if (terminal != null) {
            terminal.println("migrate: " + message);
        } else {
            lines.println("migrate: " + message);
        }
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void close() {
        closeBar();
    }
}
