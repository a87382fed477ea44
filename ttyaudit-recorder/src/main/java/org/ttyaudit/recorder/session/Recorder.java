package org.ttyaudit.recorder.session;

import java.time.Duration;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.ResizeEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.recorder.log.ChunkSink;
import org.ttyaudit.recorder.log.DurableProgress;
import org.ttyaudit.recorder.log.MaskingChunkSink;
import org.ttyaudit.recorder.log.RecordFileSink;
import org.ttyaudit.recorder.log.SessionLog;
import org.ttyaudit.recorder.capture.Foreground;
import org.ttyaudit.recorder.capture.OutputFilter;
import org.ttyaudit.recorder.capture.StoredOutput;
import org.ttyaudit.recorder.pty.ChildProcess;
import org.ttyaudit.recorder.pty.ExitStatus;
import org.ttyaudit.recorder.pty.FileDescriptors;
import org.ttyaudit.recorder.pty.PseudoTerminal;
import org.ttyaudit.recorder.pty.PtyException;
import org.ttyaudit.recorder.pty.RawMode;
import org.ttyaudit.recorder.pty.WindowSize;
import org.ttyaudit.recorder.shell.LaunchSpec;
import org.ttyaudit.recorder.shell.MarkerStripper;
import org.ttyaudit.recorder.shell.ShellIntegration;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Records one session: runs the command in a new pseudo-terminal, relays the user's terminal to it (raw mode,
 * window size, signals), and logs everything to a record file. The wiring of the recorder's parts.
 *
 * <p>Fails closed: when the record cannot be written any more, the session is hung up with a message to the user.
 * The same happens when the audit server asks for the session to end ({@link #terminate}): the end record then
 * says {@code terminated}. The user's terminal settings are restored on every path out, including signals and
 * JVM shutdown.
 *
 * <p>{@link #run()} is called once, from one thread; {@link #terminate} may be called from any thread.
 */
public final class Recorder {
    /** The exit status of a session whose command could not be started (as a shell reports "not found"). */
    public static final int NOT_STARTED = 127;

    private final RecordingOptions options;
    private final PrintStream messages;
    private final Clock clock;
    private final DurableProgress progress;

    /** Guards {@link #running} and {@link #terminateReason}: {@link #terminate} races with the child's start and end. */
    private final Object control = new Object();
    private ChildProcess running;
    private SessionLog runningLog;
    private String terminateReason;
    private boolean terminated;
    /** The chunk latency asked for by {@link #flushWithin}, applied to the log once it runs; null: none asked. */
    private Duration flushLatency;

    public Recorder(RecordingOptions options, PrintStream messages, Clock clock) {
        this(options, messages, clock, DurableProgress.NONE);
    }

    /** @param progress told after each frame of the record file is fsync'd (the uploader ships only that) */
    public Recorder(RecordingOptions options, PrintStream messages, Clock clock, DurableProgress progress) {
        this.options = options;
        this.messages = messages;
        this.clock = clock;
        this.progress = progress;
    }

    /**
     * Ends the session because the audit server asked for it (a rule fired, an administrator ended it): the user
     * is told why, the session is hung up as on a closed terminal, and the end record's reason is
     * {@code terminated}; a {@code terminated} marker with the reason goes into the record. Before the command
     * has started, it is hung up as soon as it starts; after it has ended, this does nothing. Only the first call
     * counts.
     */
    public void terminate(String reason) {
        ChildProcess child;
        SessionLog log;
        synchronized (control) {
            if (terminateReason != null) {
                return;
            }
            terminateReason = reason == null || reason.isBlank() ? "no reason given" : reason;
            child = running;
            log = runningLog;
            if (child != null) {
                terminated = true;
            }
        }
        if (child != null) {
            endByServer(child, log, terminateReason);
        }
    }

    /**
     * Changes the session log's chunk latency (the audit server asks for a shorter one while someone watches the
     * session live); before the session runs, it applies once it does.
     */
    public void flushWithin(Duration latency) {
        synchronized (control) {
            flushLatency = latency;
            if (runningLog != null) {
                runningLog.maxLatency(latency);
            }
        }
    }

    private void endByServer(ChildProcess child, SessionLog log, String reason) {
        try {
            log.append(t -> new MarkerEvent(t, "terminated", reason));
        } catch (IOException e) {
            // The record cannot take it any more; the session ends all the same.
        }
        hangUp(child, "the audit server ended this session: " + printable(reason));
    }

    /** The outcome of a recorded session. */
    public record Result(int exitStatus, Path record, SessionId sessionId) {
    }

    public Result run() throws IOException {
        int userIn = FileDescriptors.STDIN;
        int userOut = FileDescriptors.STDOUT;
        boolean interactive = FileDescriptors.isTerminal(userIn);
        WindowSize size = userWindowSize(userIn, userOut);
        Map<String, String> env = options.environment();

        SessionId id = options.sessionId();
        Instant startedAt = clock.instant();
        long startNanos = System.nanoTime();
        SessionHeader header = new SessionHeader(id, "recorder", HostFacts.userName(env), HostFacts.currentUid(), HostFacts.hostName(),
                interactive ? FileDescriptors.terminalName(userIn) : null, HostFacts.sshClientAddress(env),
                env.getOrDefault("TERM", "dumb"), size.cols(), size.rows(), startedAt, options.command(),
                options.capture().mode().configName(), options.recorderVersion(), sessionTags(env));

        ChunkSink sink = MaskingChunkSink.interactive(RecordFileSink.create(options.output(), header, progress),
                options.masker());
        SessionLog log = SessionLog.withDefaults(sink, startNanos);
        Path runtimeDir = Files.createTempDirectory("ttyaudit-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            return record(id, log, runtimeDir, interactive, size, userIn, userOut);
        } finally {
            deleteTree(runtimeDir);
        }
    }

    private Result record(SessionId id, SessionLog log, Path runtimeDir, boolean interactive, WindowSize size,
                          int userIn, int userOut) throws IOException {
        String nonce = ShellIntegration.newNonce();

        List<String> argv = options.command();
        Map<String, String> env = new HashMap<>(options.environment());
        env.put("TTYAUDIT_SESSION", id.toString());
        MarkerStripper stripper = null;
        Optional<ShellIntegration> integration = options.shellIntegration()
                ? ShellIntegration.detect(argv) : Optional.empty();
        Optional<LaunchSpec> launch = integration.isPresent()
                ? Optional.of(integration.get().prepare(argv, env, nonce, options.loginShell(), runtimeDir))
                : Optional.empty();

        PseudoTerminal pty = PseudoTerminal.open(size);
        CommandCapture commands = null;
        RawMode raw = null;
        SignalRelay signals = new SignalRelay();
        Thread restoreOnShutdown = null;
        try {
            if (interactive) {
                RawMode.copySettings(userIn, pty);
            }
            List<String> runArgv = launch.map(LaunchSpec::argv).orElse(argv);
            Map<String, String> runEnv = launch.map(LaunchSpec::env).orElse(env);
            ChildProcess child;
            try {
                child = ChildProcess.spawn(pty, runArgv, runEnv);
            } catch (PtyException e) {
                // The record says that the session never started, and why, like a shell's 127.
                log.append(t -> new MarkerEvent(t, "not-started", e.getMessage()));
                log.finish(new SessionEnd(clock.instant(), NOT_STARTED, null, "not-started"));
                throw new SessionNotStartedException(e.getMessage(), options.output());
            }

            String terminateEarly;
            synchronized (control) {
                running = child;
                runningLog = log;
                if (flushLatency != null) {
                    log.maxLatency(flushLatency);
                }
                terminateEarly = terminateReason;
                terminated = terminateEarly != null;
            }
            if (terminateEarly != null) {
                endByServer(child, log, terminateEarly);
            }

            KeystrokePathWarmUp.start(options.masker());
            commands = new CommandCapture(log, pty, child.pid(), launch.isPresent(), options.masker(), size.cols(),
                    size.rows());
            if (launch.isPresent()) {
                stripper = new MarkerStripper(nonce.getBytes(StandardCharsets.US_ASCII), commands);
            }
            if (interactive) {
                raw = RawMode.enter(userIn);
                RawMode rawMode = raw;
                restoreOnShutdown = new Thread(rawMode::restore, "ttyaudit-restore-terminal");
                Runtime.getRuntime().addShutdownHook(restoreOnShutdown);
            }
            TerminalTap tap = commands;
            relaySignals(signals, child, pty, log, tap, userIn, userOut);

            OutputFilter filter = new OutputFilter(options.capture(), foregroundOf(pty), StoredOutput.in(log),
                    System::nanoTime);
            OutputPump output = new OutputPump(pty, userOut, log, stripper, tap, filter);
            InputPump input = new InputPump(userIn, pty, log, options.capture().mode(), tap);
            Thread outputThread = new Thread(output, "ttyaudit-output");
            outputThread.setPriority(Thread.MAX_PRIORITY);
            outputThread.start();
            Thread inputThread = new Thread(input, "ttyaudit-input");
            inputThread.setDaemon(true);
            inputThread.start();
            log.onFailure(e -> endSessionBecauseUnrecorded(e, child));

            ExitStatus status = child.waitFor();
            boolean endedByServer;
            synchronized (control) {
                running = null;
                runningLog = null;
                endedByServer = terminated;
            }
            output.processExited();
            joinUninterruptibly(outputThread);
            input.stop();
            if (raw != null) {
                raw.restore();
            }
            signals.close();
            commands.finish(status.shellStatus());

            IOException logFailure = log.failure();
            if (logFailure == null) {
                log.finish(new SessionEnd(clock.instant(), status.shellStatus(),
                        status.killedBySignal() ? status.signal() : null,
                        endedByServer ? "terminated" : status.killedBySignal() ? "signal" : "exit"));
            }
            IOException outputFailure = output.failure();
            if (logFailure != null || outputFailure != null) {
                IOException f = logFailure != null ? logFailure : outputFailure;
                throw new IOException("the session record is incomplete: " + f.getMessage(), f);
            }
            return new Result(status.shellStatus(), options.output(), id);
        } finally {
            if (raw != null) {
                raw.restore();
            }
            signals.close();
            if (restoreOnShutdown != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(restoreOnShutdown);
                } catch (IllegalStateException ignored) {
                    // Already shutting down: the hook restores the terminal.
                }
            }
            if (commands != null) {
                commands.close();
            }
            pty.close();
        }
    }

    private void relaySignals(SignalRelay signals, ChildProcess child, PseudoTerminal pty, SessionLog log,
                              TerminalTap tap, int userIn, int userOut) {
        signals.on("WINCH", s -> {
            WindowSize now = userWindowSize(userIn, userOut);
            try {
                pty.resize(now);
                log.append(t -> new ResizeEvent(t, now.cols(), now.rows()));
                tap.resized(now.cols(), now.rows());
            } catch (IOException e) {
                // The session is ending; the size no longer matters.
            }
        });
        // A hangup or termination of the recorder ends the session the way a closed terminal would.
        signals.on("HUP", s -> child.signalGroup(SignalRelay.SIGHUP));
        signals.on("TERM", s -> {
            child.signalGroup(SignalRelay.SIGHUP);
            child.signalGroup(SignalRelay.SIGTERM);
        });
        signals.on("INT", s -> child.signalGroup(SignalRelay.SIGINT));
    }

    /** Hangs the session up when its record can no longer be written (disk full, I/O error): fail closed. */
    private void endSessionBecauseUnrecorded(IOException failure, ChildProcess child) {
        hangUp(child, "the session cannot be recorded (" + failure.getMessage() + ")");
    }

    /** Tells the user why and hangs the session up as a closed terminal would (the shell gets SIGHUP). */
    private void hangUp(ChildProcess child, String why) {
        messages.print("\r\nttyaudit: " + why + "; ending it.\r\n");
        messages.flush();
        child.signalGroup(SignalRelay.SIGHUP);
        child.signal(SignalRelay.SIGHUP);
    }

    /** {@code text} without control characters, so a reason from the server cannot send escape sequences. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), 200));
        text.codePoints().limit(200).forEach(c -> b.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    /**
     * Free labels of the session: the user's shell, which players show (asciicast's SHELL), and the user's groups
     * (comma-separated names; rules and capture policies match on them), and the audit session id and login uid
     * when set ({@link AuditIdentity}).
     */
    private static Map<String, String> sessionTags(Map<String, String> env) {
        Map<String, String> tags = new HashMap<>();
        String shell = env.get("SHELL");
        if (shell != null && !shell.isBlank()) {
            tags.put("shell", shell);
        }
        List<String> groups = HostFacts.groupNames();
        if (!groups.isEmpty()) {
            tags.put("groups", String.join(",", groups));
        }
        tags.putAll(AuditIdentity.tags(Path.of("/proc/self")));
        return tags;
    }

    /** The program in the foreground of the session's terminal, for the capture policy's bulk rule. */
    private static Foreground foregroundOf(PseudoTerminal pty) {
        return new Foreground() {
            @Override
            public int processGroup() {
                return pty.foregroundProcessGroup();
            }

            @Override
            public String name(int pid) {
                return ForegroundProcess.nameOf(pid);
            }
        };
    }

    private static WindowSize userWindowSize(int userIn, int userOut) {
        WindowSize size = FileDescriptors.windowSize(userIn);
        if (size == null) {
            size = FileDescriptors.windowSize(userOut);
        }
        return size == null ? WindowSize.DEFAULT : size.orDefault();
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // A leftover file in a private temp directory is harmless.
                }
            });
        } catch (IOException ignored) {
            // Same.
        }
    }

}
