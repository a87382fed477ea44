package org.ttyaudit.recorder.session;

import org.ttyaudit.core.redact.SecretMasker;
import org.ttyaudit.core.redact.StreamMasker;
import org.ttyaudit.core.screen.ScreenCommandTracker;
import org.ttyaudit.recorder.pty.BackgroundThreads;

import java.nio.charset.StandardCharsets;

/**
 * Runs the code every keystroke passes through after delivery (secret masking on the log's writer, the screen
 * model) on made-up typing, on a low-priority daemon thread while the shell starts, so that the JIT has compiled
 * it before the user's first keys arrive: without it, the first few thousand keys of a session run interpreted
 * and cost about twice the CPU, and compilation competes with the session for the CPU. Touches no session state; costs some tens of milliseconds of CPU once, at start-up.
 */
final class KeystrokePathWarmUp {
    private static final int ROUNDS = 100;

    private KeystrokePathWarmUp() {
    }

    static void start(SecretMasker masker) {
        BackgroundThreads.named("ttyaudit-warm-up").newThread(() -> run(masker)).start();
    }

    private static void run(SecretMasker masker) {
        byte[] line = "echo line --password=x AKIA0123 $HOME ls -la\r".getBytes(StandardCharsets.US_ASCII);
        StreamMasker keys = new StreamMasker(masker, (tag, data) -> { });
        StreamMasker echo = new StreamMasker(masker, (tag, data) -> { });
        ScreenCommandTracker screen = new ScreenCommandTracker(80, 24);
        byte[] one = new byte[1];
        long t = 0;
        for (int round = 0; round < ROUNDS; round++) {
            screen.onOutput(t++, "$ ".getBytes(StandardCharsets.US_ASCII), 0, 2);
            for (byte b : line) {
                one[0] = b;
                keys.write(t, one);
                echo.write(t, one);
                screen.onInput(t, one, 0, 1);
                screen.onOutput(t++, one, 0, 1);
            }
            screen.onOutput(t++, "\r\n".getBytes(StandardCharsets.US_ASCII), 0, 2);
            masker.mask("echo line " + round);
            screen.drainCommands();
        }
        keys.flush();
        echo.flush();
    }
}
