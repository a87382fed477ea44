package org.ttyaudit.core.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ttyaudit.core.model.CommandEndEvent;
import org.ttyaudit.core.model.CommandStartEvent;
import org.ttyaudit.core.model.Event;
import org.ttyaudit.core.model.ExecEvent;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.SessionEnd;
import org.ttyaudit.core.model.SessionHeader;
import org.ttyaudit.core.model.SessionId;

/** Shared test data and helpers for the record format tests. */
final class Fixtures {
    static final SessionId ID = new SessionId(UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057"));
    static final SessionId OTHER_ID = new SessionId(UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8058"));
    static final Instant START = Instant.parse("2024-05-01T12:00:00Z");

    private Fixtures() {
    }

    static SessionHeader header() {
        return header(ID);
    }

    static SessionHeader header(SessionId id) {
        return new SessionHeader(id, "recorder", "alice", 1000, "web1", "/dev/pts/3", null, "xterm-256color",
                80, 24, START, List.of("/bin/bash", "-l"), "full", "0.1.0", Map.of("team", "ops", "env", "prod"));
    }

    static SessionEnd end() {
        return new SessionEnd(START.plusSeconds(60), 0, null, "exit");
    }

    static OutputEvent out(long offset, String text) {
        return new OutputEvent(offset, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A canonical text form of an event: records compare byte arrays by identity, this by content. */
    static String describe(Event e) {
        if (e instanceof OutputEvent o) {
            return "output@" + o.offsetMicros() + "[" + HexFormat.of().formatHex(o.data()) + "]";
        }
        if (e instanceof InputEvent i) {
            return "input@" + i.offsetMicros() + "[" + HexFormat.of().formatHex(i.data()) + "]";
        }
        return e.toString();
    }

    static List<String> describe(List<? extends Event> events) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            out.add(describe(e));
        }
        return out;
    }

    /** A few chunks' worth of every kind of event. */
    static List<List<Event>> sampleChunks() {
        return List.of(
                List.of(out(0, "$ "), new InputEvent(1_000, "ls\r".getBytes()),
                        new CommandStartEvent(1_100, 1, "ls", "/home/alice",
                                org.ttyaudit.core.model.CommandSource.SHELL_INTEGRATION)),
                List.of(new ExecEvent(1_200, 4242, 4000, List.of("ls", "--color=auto"), "/home/alice"),
                        out(1_300, "a.txt  b.txt\r\n".repeat(50)),
                        new CommandEndEvent(1_400, 1, 0)),
                List.of(new org.ttyaudit.core.model.ResizeEvent(2_000, 120, 40),
                        new org.ttyaudit.core.model.RedactedInputEvent(2_500, 9),
                        new MarkerEvent(3_000, "integration-lost", "")),
                List.of(out(4_000, "bye\r\n")));
    }

    /** Writes the sample session; {@code finish} says whether it gets its end record. */
    static Path writeSample(Path dir, boolean finish) throws IOException {
        Path file = dir.resolve("session.tty");
        try (RecordFileWriter w = RecordFileWriter.create(file, header())) {
            for (List<Event> chunk : sampleChunks()) {
                w.appendChunk(chunk);
            }
            if (finish) {
                w.finish(end());
            }
        }
        return file;
    }

    /** A frame as found by walking the documented layout (independent of the production reader). */
    record FrameAt(int offset, int bodyLength, int type) {
        int end() {
            return offset + 9 + bodyLength;
        }

        int bodyStart() {
            return offset + 5;
        }
    }

    static List<FrameAt> frames(byte[] file) {
        List<FrameAt> frames = new ArrayList<>();
        int pos = 12;
        while (pos + 9 <= file.length) {
            int len = java.nio.ByteBuffer.wrap(file, pos, 4).getInt();
            if (pos + 9L + len > file.length) {
                break;
            }
            frames.add(new FrameAt(pos, len, file[pos + 4] & 0xFF));
            pos += 9 + len;
        }
        return frames;
    }

    /** Recomputes the CRC32C of the frame at {@code f} in place, as an attacker who edits the file would. */
    static void fixCrc(byte[] file, FrameAt f) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(file, f.offset(), 5 + f.bodyLength());
        java.nio.ByteBuffer.wrap(file, f.end() - 4, 4).putInt((int) crc.getValue());
    }

    static byte[] read(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }
}
