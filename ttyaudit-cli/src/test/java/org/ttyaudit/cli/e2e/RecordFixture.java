package org.ttyaudit.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.ttyaudit.cli.Main;
import org.ttyaudit.core.format.RecordFileReader;
import org.ttyaudit.core.format.Recording;
import org.ttyaudit.core.model.Event;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared helpers of the end-to-end tests: a user's home, the environment, and reading back what was recorded. */
public final class RecordFixture {
    private RecordFixture() {
    }

    /** The output of an in-process {@code ttyaudit ARGS} run. */
    public record CliResult(int exitCode, String out, String err) {
    }

    public static CliResult cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliResult(code, out.toString(), err.toString());
    }

    /** A clean environment for a recorded session, with HOME set to {@code home}. */
    public static Map<String, String> environment(Path home, String shell) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("HOME", home.toString());
        env.put("TERM", "xterm-256color");
        env.put("SHELL", shell);
        env.put("LANG", "C.UTF-8");
        env.put("USER", System.getProperty("user.name"));
        env.put("TTYAUDIT_DATA_DIR", home.resolve(".ttyaudit-data").toString());
        return env;
    }

    static JsonNode commandsJson(Path record) throws IOException {
        CliResult r = cli("commands", record.toString(), "--json");
        if (r.exitCode() != 0) {
            throw new AssertionError("ttyaudit commands failed: " + r.err());
        }
        return new ObjectMapper().readTree(r.out());
    }

    static List<Event> events(Path record) throws IOException {
        Recording recording = RecordFileReader.open(record);
        List<Event> events = new ArrayList<>();
        recording.forEachEvent((seq, e) -> events.add(e));
        return events;
    }

    /** Every byte of every event's payload (output and input), concatenated, for "is this secret anywhere". */
    static String allEventText(List<Event> events) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Event e : events) {
            all.writeBytes(e.toString().getBytes(StandardCharsets.UTF_8));
            if (e instanceof org.ttyaudit.core.model.OutputEvent o) {
                all.writeBytes(o.data());
            } else if (e instanceof org.ttyaudit.core.model.InputEvent i) {
                all.writeBytes(i.data());
            }
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    public static Path writeFile(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** Copies a directory tree (files with their attributes, e.g. a key's mode 0600). */
    public static void copyTree(Path from, Path to) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
