package org.ttyaudit.recorder.session;

import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.core.screen.ScreenCommand;
import org.ttyaudit.core.screen.ScreenCommandTracker;
import org.ttyaudit.recorder.log.SessionLog;
import org.ttyaudit.recorder.proc.ProcessTreeSampler;
import org.ttyaudit.recorder.pty.BackgroundThreads;
import org.ttyaudit.recorder.pty.PseudoTerminal;
import org.ttyaudit.recorder.shell.MarkerListener;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Turns what passes through the recorder into command and exec events, from three independent sources:
 * <ol>
 *   <li>the shell's own markers ({@link MarkerListener}, called on the output thread): exact command line, cwd,
 *       exit code;</li>
 *   <li>the screen: when the user presses Enter while a shell without working integration is in the foreground
 *       (a nested shell, hooks removed, an unsupported shell), the command line is reconstructed from a model of
 *       the terminal screen;</li>
 *   <li>the process tree under the session, sampled from /proc.</li>
 * </ol>
 * When the integrated shell takes a command without reporting it, its hooks were removed: an
 * {@code integration-lost} marker is logged once and the screen takes over.
 *
 * <p>The screen model is fed lazily on a worker thread of its own: output is queued (only the most recent
 * {@value #MAX_QUEUED_OUTPUT} bytes are kept — the screen needs only what is still visible) and processed when the
 * user types, so bulk output costs the recorder nothing here.
 */
final class CommandCapture implements TerminalTap, MarkerListener, AutoCloseable {
    static final int MAX_QUEUED_OUTPUT = 256 * 1024;
    private static final long DECISION_WAIT_NANOS = 300_000_000L;
    private static final long ENTER_EXPIRY_NANOS = 5_000_000_000L;
    /** /proc is scanned this often (about 1 ms a scan); a process shorter than this may be missed. */
    private static final long SAMPLE_INTERVAL_NANOS = 500_000_000L;
    private static final long SAMPLE_AFTER_ENTER_NANOS = 30_000_000L;
    /** Enter-triggered scans are at most this frequent, so fast typing does not turn into /proc scanning. */
    private static final long MIN_SAMPLE_GAP_NANOS = 100_000_000L;

    private final SessionLog log;
    private final PseudoTerminal pty;
    private final int shellPid;
    private final SecretMasker masker;
    private final boolean integrationExpected;
    private final ProcessTreeSampler sampler;
    private final Thread worker;

    // Screen work queue, guarded by "this".
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private long queuedOutputBytes;
    private boolean screenReset;
    private boolean inputQueued;
    private boolean wakeNow;
    private boolean closed;

    // Integration state, guarded by "this".
    private boolean integrationSeen;
    private boolean integrationLost;
    private long lastCommandStartNanos = Long.MIN_VALUE;
    private long openIntegrationCommand = -1;
    /** Commands the hooks reported without a line (hidden from history), oldest first: the screen names them. */
    private final ArrayDeque<UnnamedCommand> unnamed = new ArrayDeque<>();
    private long nextCommandId;

    // Owned by the worker thread.
    private ScreenCommandTracker tracker;
    private int cols;
    private int rows;
    private final List<Enter> enters = new ArrayList<>();
    private long lastSampleNanos;
    private long sampleAfterEnterNanos;

    /**
     * @param integrationExpected whether the shell was started with the recorder's hooks: then an Enter typed
     *                            before its first prompt (type-ahead) waits for the hooks' report too
     */
    CommandCapture(SessionLog log, PseudoTerminal pty, int shellPid, boolean integrationExpected,
                   SecretMasker masker, int cols, int rows) {
        this.log = log;
        this.integrationExpected = integrationExpected;
        this.pty = pty;
        this.shellPid = shellPid;
        this.masker = masker;
        this.cols = cols;
        this.rows = rows;
        this.tracker = new ScreenCommandTracker(cols, rows);
        this.sampler = new ProcessTreeSampler(shellPid, log::offsetMicros);
        this.worker = BackgroundThreads.named("ttyaudit-commands").newThread(this::work);
        this.worker.start();
    }

    // ---- TerminalTap (output and input threads) ----

    @Override
    public synchronized void output(byte[] data) {
        queue.addLast(new Item(Item.OUTPUT, data, 0, null, 0));
        queuedOutputBytes += data.length;
        while (queuedOutputBytes > MAX_QUEUED_OUTPUT && queue.peekFirst() != null
                && queue.peekFirst().kind == Item.OUTPUT) {
            queuedOutputBytes -= queue.removeFirst().data.length;
            screenReset = true;
        }
    }

    /**
     * Called before the keys reach the session: on Enter, the foreground process and its working directory are
     * read now, before the shell can act on the line (a {@code cd} would change the directory). That costs a few
     * /proc reads, and only when the screen may be the command's source (not in an integrated shell at its prompt).
     */
    @Override
    public void input(byte[] data, boolean redacted) {
        if (redacted || data == null) {
            return;
        }
        boolean enter = containsLineEnd(data);
        ForegroundProcess fg = null;
        if (enter) {
            int pgrp = pty.foregroundProcessGroup();
            boolean integrated;
            synchronized (this) {
                integrated = (integrationSeen || integrationExpected) && !integrationLost;
            }
            fg = pgrp == shellPid && integrated ? new ForegroundProcess(pgrp, "", null) : ForegroundProcess.of(pgrp);
        }
        long offset = log.offsetMicros();
        synchronized (this) {
            queue.addLast(new Item(Item.INPUT, data, offset, fg, enter ? System.nanoTime() : 0));
            queuedOutputBytes = 0;
            inputQueued = true;
            if (enter) {
                // Ordinary keys are modelled in batches on the worker's next tick; only Enter needs a verdict now.
                wakeNow = true;
                notifyAll();
            }
        }
    }

    @Override
    public synchronized void resized(int newCols, int newRows) {
        queue.addLast(new Item(Item.RESIZE, null, ((long) newCols << 32) | newRows, null, 0));
        inputQueued = true;
        wakeNow = true;
        notifyAll();
    }

    private static boolean containsLineEnd(byte[] data) {
        for (byte b : data) {
            if (b == '\r' || b == '\n') {
                return true;
            }
        }
        return false;
    }

    // ---- MarkerListener (output thread) ----

    @Override
    public void promptStart() {
        synchronized (this) {
            integrationSeen = true;
        }
    }

    @Override
    public void commandLineStart() {
        boolean restored;
        synchronized (this) {
            integrationSeen = true;
            restored = integrationLost;
            integrationLost = false;
        }
        if (restored) {
            logQuietly(new MarkerAppender("integration-restored", "shell hooks report commands again"));
        }
    }

    @Override
    public void commandStart(String commandLine, String cwd) {
        long id;
        synchronized (this) {
            integrationSeen = true;
            lastCommandStartNanos = System.nanoTime();
            id = nextCommandId++;
            openIntegrationCommand = id;
            if (commandLine == null) {
                unnamed.addLast(new UnnamedCommand(id, cwd, lastCommandStartNanos));
            }
            notifyAll();
        }
        if (commandLine != null) {
            String line = masker.mask(commandLine);
            logQuietly(t -> new CommandStartEvent(t, id, line, cwd, CommandSource.SHELL_INTEGRATION));
        }
    }

    @Override
    public void commandFinished(int exitCode) {
        long id;
        synchronized (this) {
            id = openIntegrationCommand;
            openIntegrationCommand = -1;
            UnnamedCommand pending = unnamedWithId(id);
            if (pending != null) {
                // Its start is not logged yet: the screen's verdict logs start and end together.
                pending.exitCode = exitCode;
                pending.finished = true;
                return;
            }
        }
        if (id >= 0) {
            logQuietly(t -> new CommandEndEvent(t, id, exitCode));
        }
    }

    @Override
    public void forgedMarker(String description) {
        logQuietly(new MarkerAppender("bad-nonce", description));
    }

    // ---- worker thread ----

    private void work() {
        while (true) {
            List<Item> items = List.of();
            boolean reset;
            synchronized (this) {
                if (!closed && !wakeNow) {
                    try {
                        wait(enters.isEmpty() ? 100 : 20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                wakeNow = false;
                if (closed) {
                    return;
                }
                if (inputQueued || !enters.isEmpty()) {
                    // Output is only worth modelling around keystrokes: the prompt, the echo, the line end.
                    items = new ArrayList<>(queue);
                    queue.clear();
                    queuedOutputBytes = 0;
                    inputQueued = false;
                }
                reset = screenReset;
                screenReset = false;
            }
            process(items, reset);
            decide(false);
            long now = System.nanoTime();
            if (now - lastSampleNanos >= SAMPLE_INTERVAL_NANOS
                    || (sampleAfterEnterNanos != 0 && now >= sampleAfterEnterNanos
                        && now - lastSampleNanos >= MIN_SAMPLE_GAP_NANOS)) {
                sampleAfterEnterNanos = 0;
                sampleProcesses();
            }
        }
    }

    private void process(List<Item> items, boolean reset) {
        if (reset) {
            tracker = new ScreenCommandTracker(cols, rows);
        }
        for (Item item : items) {
            switch (item.kind) {
                case Item.OUTPUT -> tracker.onOutput(item.offset, item.data, 0, item.data.length);
                case Item.INPUT -> {
                    if (item.enterNanos != 0) {
                        ForegroundProcess fg = item.foreground;
                        if (fg.cwd() == null) {
                            // Not read at Enter (the shell was reporting through its hooks): read it now, while
                            // the process surely still exists, in case the hooks turn out to be gone.
                            fg = ForegroundProcess.of(fg.pid());
                        }
                        enters.add(new Enter(item.offset, item.enterNanos, fg));
                        // What the Enter started is most likely running a moment later: look at it then.
                        sampleAfterEnterNanos = item.enterNanos + SAMPLE_AFTER_ENTER_NANOS;
                    }
                    tracker.onInput(item.offset, item.data, 0, item.data.length);
                }
                case Item.RESIZE -> {
                    cols = (int) (item.offset >>> 32);
                    rows = (int) item.offset;
                    tracker.onResize(cols, rows);
                }
                default -> throw new IllegalStateException("unknown item " + item.kind);
            }
        }
        for (ScreenCommand command : tracker.drainCommands()) {
            Enter enter = enterFor(command);
            if (enter != null) {
                enter.commandLine = command.commandLine();
            }
        }
    }

    private Enter enterFor(ScreenCommand command) {
        Enter best = null;
        for (Enter e : enters) {
            if (e.commandLine == null && e.offsetMicros <= command.offsetMicros()) {
                best = e;
            }
        }
        if (best == null) {
            for (Enter e : enters) {
                if (e.commandLine == null) {
                    return e;
                }
            }
        }
        return best;
    }

    /** Decides, for each Enter whose screen line is known, whether the screen's command line counts. */
    private void decide(boolean closing) {
        long now = System.nanoTime();
        Iterator<Enter> it = enters.iterator();
        while (it.hasNext()) {
            Enter e = it.next();
            if (e.commandLine == null) {
                if (closing || now - e.nanos > ENTER_EXPIRY_NANOS) {
                    it.remove();
                }
                continue;
            }
            boolean timedOut = closing || now - e.nanos >= DECISION_WAIT_NANOS;
            Verdict verdict = judge(e, timedOut);
            if (verdict == Verdict.WAIT) {
                continue;
            }
            it.remove();
            if (verdict == Verdict.SCREEN_COMMAND) {
                logScreenCommand(e.commandLine, e.foreground.cwd());
            }
        }
    }

    private enum Verdict { WAIT, IGNORE, SCREEN_COMMAND }

    private Verdict judge(Enter e, boolean timedOut) {
        ForegroundProcess fg = e.foreground;
        if (fg.pid() != shellPid) {
            return fg.isShell() ? Verdict.SCREEN_COMMAND : Verdict.IGNORE;
        }
        boolean markLost = false;
        UnnamedCommand named = null;
        List<UnnamedCommand> unnameable = new ArrayList<>();
        synchronized (this) {
            // Commands started before this Enter can no longer be named by any Enter (they are judged in order).
            while (!unnamed.isEmpty() && unnamed.peekFirst().startNanos < e.nanos) {
                unnameable.add(unnamed.removeFirst());
            }
            UnnamedCommand first = unnamed.peekFirst();
            if (first != null && first.startNanos >= e.nanos) {
                // The first command the hooks could not name, started after this Enter: the screen names it.
                named = unnamed.removeFirst();
            } else if (lastCommandStartNanos != Long.MIN_VALUE && lastCommandStartNanos >= e.nanos) {
                return Verdict.IGNORE;
            } else if (!integrationSeen && !integrationExpected) {
                return Verdict.SCREEN_COMMAND;
            } else if (!timedOut) {
                return Verdict.WAIT;
            } else if (!integrationLost) {
                integrationLost = true;
                markLost = true;
            }
        }
        for (UnnamedCommand c : unnameable) {
            // Still recorded: a command ran here, and neither the hooks nor the screen could read its line.
            logUnnamed(c, "", CommandSource.SHELL_INTEGRATION);
        }
        if (named != null) {
            // The shell reported a command it could not name (e.g. hidden from history): the screen names it.
            logUnnamed(named, masker.mask(e.commandLine), CommandSource.SCREEN);
            return Verdict.IGNORE;
        }
        if (markLost) {
            logQuietly(new MarkerAppender("integration-lost",
                    "the shell took a command without reporting it: its hooks were removed or disabled"));
        }
        return Verdict.SCREEN_COMMAND;
    }

    private void logUnnamed(UnnamedCommand c, String line, CommandSource source) {
        boolean finished;
        int exitCode;
        synchronized (this) {
            finished = c.finished;
            exitCode = c.exitCode;
        }
        logQuietly(t -> new CommandStartEvent(t, c.id, line, c.cwd, source));
        if (finished) {
            logQuietly(t -> new CommandEndEvent(t, c.id, exitCode));
        }
    }

    private void logScreenCommand(String commandLine, String cwd) {
        long id;
        synchronized (this) {
            id = nextCommandId++;
        }
        String line = masker.mask(commandLine);
        logQuietly(t -> new CommandStartEvent(t, id, line, cwd, CommandSource.SCREEN));
    }

    private void sampleProcesses() {
        lastSampleNanos = System.nanoTime();
        for (ExecEvent exec : sampler.poll()) {
            ExecEvent masked = new ExecEvent(0, exec.pid(), exec.ppid(), maskArgv(exec.argv()), exec.cwd());
            logQuietly(t -> new ExecEvent(t, masked.pid(), masked.ppid(), masked.argv(), masked.cwd()));
        }
    }

    private List<String> maskArgv(List<String> argv) {
        List<String> out = new ArrayList<>(argv.size());
        for (String a : argv) {
            out.add(masker.mask(a));
        }
        return out;
    }

    /**
     * Stops the worker after a last pass: queued screen input is processed, pending decisions are made, and the
     * process tree is sampled once more. A command the integrated shell was still running when it exited (such as
     * {@code exit 7}) ends with the shell's exit status.
     */
    void finish(int shellExitStatus) {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            worker.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Item> items;
        boolean reset;
        synchronized (this) {
            items = new ArrayList<>(queue);
            queue.clear();
            reset = screenReset;
        }
        process(items, reset);
        decide(true);
        sampleProcesses();
        long open;
        synchronized (this) {
            open = unnamedWithId(openIntegrationCommand) != null ? -1 : openIntegrationCommand;
            openIntegrationCommand = -1;
        }
        if (open >= 0) {
            logQuietly(t -> new CommandEndEvent(t, open, shellExitStatus));
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }

    private void logQuietly(java.util.function.LongFunction<? extends org.ttyaudit.core.model.Event> factory) {
        try {
            log.append(factory);
        } catch (IOException e) {
            // The log has failed; the recorder notices through the output pump and ends the session.
        }
    }

    private record MarkerAppender(String name, String detail)
            implements java.util.function.LongFunction<MarkerEvent> {
        @Override
        public MarkerEvent apply(long t) {
            return new MarkerEvent(t, name, detail);
        }
    }

    /** A unit of screen work. For RESIZE, offset holds the columns (high half) and rows (low half). */
    private record Item(int kind, byte[] data, long offset, ForegroundProcess foreground, long enterNanos) {
        static final int OUTPUT = 0;
        static final int INPUT = 1;
        static final int RESIZE = 2;
    }

    /** Caller holds the lock. */
    private UnnamedCommand unnamedWithId(long id) {
        for (UnnamedCommand u : unnamed) {
            if (u.id == id) {
                return u;
            }
        }
        return null;
    }

    /** A command the hooks started without a line, waiting for the screen to name it. Guarded by the lock. */
    private static final class UnnamedCommand {
        final long id;
        final String cwd;
        final long startNanos;
        boolean finished;
        int exitCode;

        UnnamedCommand(long id, String cwd, long startNanos) {
            this.id = id;
            this.cwd = cwd;
            this.startNanos = startNanos;
        }
    }

    /** An Enter key the user pressed, waiting for its screen line and for the verdict on it. */
    private static final class Enter {
        final long offsetMicros;
        final long nanos;
        final ForegroundProcess foreground;
        String commandLine;

        Enter(long offsetMicros, long nanos, ForegroundProcess foreground) {
            this.offsetMicros = offsetMicros;
            this.nanos = nanos;
            this.foreground = foreground;
        }
    }
}
