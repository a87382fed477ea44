package org.ttyaudit.cli;

import org.ttyaudit.recorder.pty.FileDescriptors;

import java.io.Console;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What a command takes from the process around it: environment variables, standard input, the console (for
 * password prompts), whether standard output is a terminal, the clock and time zone (for relative times and
 * local dates), and where temporary files go. {@link #system()} is the real process; tests build their own so
 * that commands run in-process with a chosen environment, input and clock (no mutable statics, no
 * {@code System.setIn}).
 *
 * <p>Immutable and thread-safe; whether standard output is a terminal is asked at most once, when first needed
 * (it loads the native terminal bindings).
 */
public final class CliContext {
    private final Map<String, String> env;
    private final InputStream stdin;
    private final Console console;
    private final BooleanSupplier stdoutIsTerminal;
    private final Clock clock;
    private final ZoneId zone;
    private final Path tempDir;
    private volatile Boolean stdoutTerminal;

    /**
     * @param console          the terminal to ask for passwords on; null when there is none
     * @param stdoutIsTerminal asked once, when a command first needs to know
     */
    public CliContext(Map<String, String> env, InputStream stdin, Console console, BooleanSupplier stdoutIsTerminal,
                      Clock clock, ZoneId zone, Path tempDir) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.stdin = Objects.requireNonNull(stdin, "stdin");
        this.console = console;
        this.stdoutIsTerminal = Objects.requireNonNull(stdoutIsTerminal, "stdoutIsTerminal");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.tempDir = Objects.requireNonNull(tempDir, "tempDir");
    }

    /** This process: its environment, {@code System.in}, {@code System.console()}, fd 1, the system clock. */
    public static CliContext system() {
        return new CliContext(System.getenv(), System.in, System.console(),
                () -> FileDescriptors.isTerminal(FileDescriptors.STDOUT), Clock.systemUTC(), ZoneId.systemDefault(),
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    public Map<String, String> env() {
        return env;
    }

    /** An environment variable, empty when unset or blank. */
    public Optional<String> env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    public InputStream stdin() {
        return stdin;
    }

    public Optional<Console> console() {
        return Optional.ofNullable(console);
    }

    public boolean stdoutIsTerminal() {
        Boolean known = stdoutTerminal;
        if (known == null) {
            known = stdoutIsTerminal.getAsBoolean();
            stdoutTerminal = known;
        }
        return known;
    }

    public Clock clock() {
        return clock;
    }

    public ZoneId zone() {
        return zone;
    }

    public Path tempDir() {
        return tempDir;
    }
}
