package org.ttyaudit.cli;

import org.ttyaudit.core.format.FormatException;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.player.PlaybackClock;
import org.ttyaudit.core.player.PlaybackOptions;
import org.ttyaudit.core.player.PlaybackTerminal;
import org.ttyaudit.core.player.Player;
import org.ttyaudit.recorder.pty.DirectIo;
import org.ttyaudit.recorder.pty.FileDescriptors;
import org.ttyaudit.recorder.pty.PtyException;
import org.ttyaudit.recorder.pty.RawMode;
import org.ttyaudit.recorder.pty.WindowSize;
import org.ttyaudit.cli.remote.RemoteOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit play FILE|ID [--speed X] [--idle-limit S] [--from T]}: replays a session in this terminal, from a
 * record file or a session on a server ({@link RecordArgument}).
 */
@Command(name = "play", mixinStandardHelpOptions = true,
        description = {"Replay a recorded session in this terminal with its original timing.",
                "Keys: space pause/resume, + faster, - slower, . next step while paused, q quit."})
final class PlayCommand implements Callable<Integer> {
    private final CliContext context;

    @Parameters(paramLabel = "FILE|ID", description = "A record file, or the id of a session on the server.")
    Path file;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1", description = "Speed factor (default 1).")
    double speed;

    @Option(names = "--idle-limit", paramLabel = "S", description = "Cap pauses between output at S seconds.")
    Double idleLimit;

    @Option(names = "--from", paramLabel = "T", description = "Start T seconds into the session.")
    Double from;

    @Spec
    CommandSpec spec;

    PlayCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws InterruptedException {
        PlaybackOptions options;
        try {
            options = PlaybackOptions.defaults().withSpeed(speed)
                    .withIdleLimit(idleLimit == null ? null : seconds(idleLimit, "--idle-limit"))
                    .withFrom(from == null ? Duration.ZERO : seconds(from, "--from"));
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        RecordArgument.Opened opened = RecordArgument.open(file, remote, context, spec.commandLine().getErr());
        Recording recording = opened.recording();
        String label = opened.label();
        RawMode raw = null;
        try {
            if (FileDescriptors.isTerminal(FileDescriptors.STDIN)) {
                raw = RawMode.enter(FileDescriptors.STDIN);
            }
            RawMode restore = raw;
            Thread hook = new Thread(() -> {
                if (restore != null) {
                    restore.restore();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                new Player(new RealTerminal(spec), PlaybackClock.system(), options)
                        .play(recording.header(), recording.events());
            } finally {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        } catch (FormatException e) {
            throw UserError.failure(label + ": " + e.getMessage());
        } catch (IOException e) {
            throw UserError.failure("playback stopped: " + SessionRunner.reason(e));
        } finally {
            if (raw != null) {
                raw.restore();
            }
        }
        return 0;
    }

    private static Duration seconds(double s, String flag) {
        if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) {
            throw new IllegalArgumentException(flag + " must be a non-negative number of seconds: " + s);
        }
        return Duration.ofNanos((long) (s * 1e9));
    }

    /** The user's terminal: output to fd 1, keys from fd 0 without blocking. */
    private static final class RealTerminal implements PlaybackTerminal {
        private final CommandSpec spec;
        private final byte[] key = new byte[1];
        private final DirectIo keyboard = new DirectIo(1);
        private final DirectIo screen = new DirectIo(64 * 1024);

        RealTerminal(CommandSpec spec) {
            this.spec = spec;
        }

        @Override
        public void write(byte[] data, int off, int len) throws IOException {
            screen.writeFully(FileDescriptors.STDOUT, data, off, len);
        }

        @Override
        public int readKey() throws PtyException {
            if (!FileDescriptors.isTerminal(FileDescriptors.STDIN)
                    || !FileDescriptors.awaitReadable(FileDescriptors.STDIN, 0)) {
                return -1;
            }
            int n = keyboard.read(FileDescriptors.STDIN, key);
            return n <= 0 ? -1 : key[0] & 0xFF;
        }

        @Override
        public void recordedSize(int cols, int rows) {
            WindowSize here = FileDescriptors.windowSize(FileDescriptors.STDOUT);
            if (here != null && (here.cols() < cols || here.rows() < rows)) {
                spec.commandLine().getErr().printf(
                        "ttyaudit: this terminal is %s, the session was recorded at %dx%d; lines may wrap.%n",
                        here, cols, rows);
            }
        }
    }
}
