package org.ttyaudit.gateway.record;

import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandSource;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.FileEvent;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.RedactedInputEvent;
import org.ttyaudit.core.model.ResizeEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.core.screen.ScreenCommand;
import org.ttyaudit.core.screen.ScreenCommands;
import org.ttyaudit.recorder.capture.Foreground;
import org.ttyaudit.recorder.capture.OutputFilter;
import org.ttyaudit.recorder.capture.StoredOutput;
import org.ttyaudit.recorder.log.SessionLog;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The record of one relayed channel: everything that passes the gateway, in the recorder's format, through the
 * recorder's session log (chunks, hash chain, fsync, upload).
 *
 * <p><b>Log before deliver:</b> the relay calls {@link #output} before it passes the bytes to the user, and
 * {@link #input} before it passes keys to the target; when the record cannot be written those methods throw and
 * the relay ends the session (fail closed, as the recorder does).
 *
 * <p>Typed secrets ({@link SecretPrompts}) are stored as a redaction marker with their length; exec command lines
 * and screen commands go through the masking patterns. Commands come from the exec request ({@code ssh-exec}) or
 * from the screen ({@code screen}).
 *
 * <p>The channel's {@linkplain ChannelFacts#capture() capture policy} decides what is stored, as on a recorded
 * terminal: keystrokes only in mode {@code full}, output not in mode {@code commands}, and the output the
 * {@link OutputFilter} keeps under the rate limit and the bulk rule. The gateway cannot see the target's processes,
 * so the bulk rule knows the program only where the channel names it: an exec request's program
 * ({@code dd if=/dev/sda}: {@code dd}) or a subsystem ({@code sftp}), never a program started in a shell.
 * Everything is still relayed whole, and commands are still found on the screen in every mode.
 *
 * <p>Thread-safe: the relay's input and output threads call in concurrently.
 */
public final class ChannelRecording {
    /** A shell's {@code NAME=value} before a command: an environment setting, not the program. */
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");
    private final SessionId id;
    private final SessionLog log;
    private final SecretMasker masker;
    private final Clock clock;
    private final Runnable onFinished;
    private final Object lock = new Object();
    private final SecretPrompts secrets;
    private final ScreenCommands screen;
    private final boolean storesInput;
    /** Null when the policy stores every byte of output. Guarded by {@link #outputLock} (stdout and stderr). */
    private final OutputFilter filter;
    private final Object outputLock = new Object();
    private long nextCommandId;
    private Long execCommandId;
    private volatile Consumer<String> terminator;
    private String terminateReason;
    private boolean finished;

    ChannelRecording(SessionId id, SessionLog log, ChannelFacts facts, SecretMasker masker, Clock clock,
                     Runnable onFinished) {
        this.id = id;
        this.log = log;
        this.masker = masker;
        this.clock = clock;
        this.onFinished = onFinished;
        this.secrets = new SecretPrompts(facts.echoOff());
        this.screen = facts.pty() && facts.commandLine() == null ? new ScreenCommands(facts.cols(), facts.rows()) : null;
        this.storesInput = facts.capture().mode().storesInput();
        OutputFilter f = new OutputFilter(facts.capture(), foreground(facts), StoredOutput.in(log), System::nanoTime);
        this.filter = f.storesEverything() ? null : f;
    }

    /** The program the bulk rule sees: what an exec request runs or the subsystem; none for a shell. */
    static Foreground foreground(ChannelFacts facts) {
        return switch (facts.kind()) {
            case "shell" -> Foreground.program("", "shell");
            case "exec" -> Foreground.program(program(facts.commandLine()), "exec");
            default -> Foreground.program(facts.kind(), facts.kind());
        };
    }

    /**
     * The name of the program a command line runs: its first word after any {@code NAME=value} assignments,
     * without its directory ({@code LC_ALL=C /usr/bin/rsync --server .} gives {@code rsync}); "" for none.
     */
    static String program(String commandLine) {
        if (commandLine == null) {
            return "";
        }
        for (String word : commandLine.strip().split("\\s+")) {
            if (!ASSIGNMENT.matcher(word).matches()) {
                return word.substring(word.lastIndexOf('/') + 1);
            }
        }
        return "";
    }

    public SessionId sessionId() {
        return id;
    }

    /** What the target sent to the user (stdout or stderr). Logged before the caller delivers it. */
    public void output(byte[] b, int off, int len) throws IOException {
        byte[] data = Arrays.copyOfRange(b, off, off + len);
        if (filter == null) {
            log.append(t -> new OutputEvent(t, data));
        } else {
            synchronized (outputLock) {
                filter.offer(data);
            }
        }
        synchronized (lock) {
            secrets.output(b, off, len);
            if (screen != null) {
                screen.output(log.offsetMicros(), b, off, len);
            }
        }
        logScreenCommands();
    }

    /** What the user sent to the target. Logged before the caller passes it on; secrets are redacted. */
    public void input(byte[] b, int off, int len) throws IOException {
        int secret;
        synchronized (lock) {
            secret = secrets.secretPrefix(b, off, len);
        }
        if (storesInput) {
            if (secret > 0) {
                int n = secret;
                log.append(t -> new RedactedInputEvent(t, n));
            }
            if (secret < len) {
                byte[] data = Arrays.copyOfRange(b, off + secret, off + len);
                log.append(t -> new InputEvent(t, data));
            }
        }
        synchronized (lock) {
            if (screen != null && secret < len) {
                screen.input(log.offsetMicros(), b, off + secret, len - secret);
            }
        }
        logScreenCommands();
    }

    public void resized(int cols, int rows) throws IOException {
        log.append(t -> new ResizeEvent(t, cols, rows));
        synchronized (lock) {
            if (screen != null) {
                screen.resized(cols, rows);
            }
        }
    }

    /** The exec request's command line (masked like every command line). */
    public void execCommand(String commandLine) throws IOException {
        long cid;
        synchronized (lock) {
            cid = nextCommandId++;
            execCommandId = cid;
        }
        String line = masker.mask(commandLine);
        log.append(t -> new CommandStartEvent(t, cid, line, null, CommandSource.SSH_EXEC));
    }

    /** A file the session touched (SFTP, SCP). */
    public void file(String operation, String path, String targetPath, Long bytes, byte[] sha256, String source)
            throws IOException {
        log.append(t -> new FileEvent(t, operation, path, targetPath, bytes, sha256, source));
    }

    /** Something the gateway noticed about the session (a refused forward, an allowed one, a protocol problem). */
    public void marker(String name, String detail) throws IOException {
        log.append(t -> new MarkerEvent(t, name, detail));
    }

    /**
     * Who ends the session when the audit server asks for it ({@code terminate}): set by the relay once the
     * channel runs; a request that came earlier is handed over at once.
     */
    public void onTerminate(Consumer<String> handler) {
        String early;
        synchronized (lock) {
            terminator = handler;
            early = terminateReason;
        }
        if (early != null) {
            handler.accept(early);
        }
    }

    /** The audit server ended the session: a {@code terminated} marker, then the relay hangs up. First call counts. */
    void terminate(String reason) {
        Consumer<String> handler;
        synchronized (lock) {
            if (terminateReason != null || finished) {
                return;
            }
            terminateReason = reason == null || reason.isBlank() ? "no reason given" : reason;
            handler = terminator;
        }
        try {
            log.append(t -> new MarkerEvent(t, "terminated", terminateReason));
        } catch (IOException e) {
            // The record cannot take it; the session ends all the same.
        }
        if (handler != null) {
            handler.accept(terminateReason);
        }
    }

    /** The reason the server gave for ending the session, or null. */
    public String terminatedBecause() {
        synchronized (lock) {
            return terminateReason;
        }
    }

    /** The first failure of the record's sink, or null. */
    public IOException failure() {
        return log.failure();
    }

    /**
     * Ends the record: the exec command's end (with its exit code), then the end record. {@code signal}: the
     * signal that ended the remote command (number), or null.
     */
    public void finish(Integer exitStatus, Integer signal) {
        Long cid;
        String reason;
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            cid = execCommandId;
            reason = terminateReason;
        }
        try {
            if (filter != null) {
                synchronized (outputLock) {
                    filter.finish();
                }
            }
            if (cid != null) {
                Integer code = exitStatus;
                log.append(t -> new CommandEndEvent(t, cid, code));
            }
            if (log.failure() == null) {
                int status = exitStatus != null ? exitStatus : signal != null ? 128 + signal : 255;
                log.finish(new SessionEnd(clock.instant(), status, signal,
                        reason != null ? "terminated" : signal != null ? "signal" : exitStatus != null ? "exit"
                                : "disconnected"));
            }
        } catch (IOException e) {
            // Already reported through failure(); what was written stays.
        } finally {
            try {
                log.close();
            } catch (IOException ignored) {
                // The sink failed earlier: failure() has it.
            }
            onFinished.run();
        }
    }

    private void logScreenCommands() throws IOException {
        if (screen == null) {
            return;
        }
        java.util.List<ScreenCommand> commands;
        long first;
        synchronized (lock) {
            commands = screen.drain();
            if (commands.isEmpty()) {
                return;
            }
            first = nextCommandId;
            nextCommandId += commands.size();
        }
        for (int i = 0; i < commands.size(); i++) {
            long cid = first + i;
            String line = masker.mask(commands.get(i).commandLine());
            log.append(t -> new CommandStartEvent(t, cid, line, null, CommandSource.SCREEN));
        }
    }
}
