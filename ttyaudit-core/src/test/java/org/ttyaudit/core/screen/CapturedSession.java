package org.ttyaudit.core.screen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A terminal session captured from a real shell by {@code capture/capture.py}: the input and output byte streams
 * in the order the recorder saw them.
 */
record CapturedSession(String name, List<Chunk> chunks) {
    static final int COLS = 80;
    static final int ROWS = 24;

    /** One read from the pseudo-terminal ({@code input == false}) or one write of the typist's. */
    record Chunk(long offsetMicros, boolean input, byte[] data) {
    }

    static CapturedSession load(String name) {
        String resource = "capture/" + name + ".rec";
        List<Chunk> chunks = new ArrayList<>();
        try (InputStream in = CapturedSession.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no captured session " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                chunks.add(new Chunk(Long.parseLong(parts[0]), parts[1].equals("i"),
                        Base64.getDecoder().decode(parts[2])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CapturedSession(name, chunks);
    }

    /** Replays the session through a fresh tracker of the capture's size and returns every command it saw. */
    List<ScreenCommand> replay() {
        ScreenCommandTracker tracker = new ScreenCommandTracker(COLS, ROWS);
        List<ScreenCommand> commands = new ArrayList<>();
        for (Chunk c : chunks) {
            if (c.input()) {
                tracker.onInput(c.offsetMicros(), c.data(), 0, c.data().length);
            } else {
                tracker.onOutput(c.offsetMicros(), c.data(), 0, c.data().length);
            }
            commands.addAll(tracker.drainCommands());
        }
        return commands;
    }

    /** The offsets of the input chunks that contain an Enter. */
    List<Long> enterOffsets() {
        List<Long> offsets = new ArrayList<>();
        for (Chunk c : chunks) {
            if (c.input()) {
                for (byte b : c.data()) {
                    if (b == '\r') {
                        offsets.add(c.offsetMicros());
                        break;
                    }
                }
            }
        }
        return offsets;
    }
}
