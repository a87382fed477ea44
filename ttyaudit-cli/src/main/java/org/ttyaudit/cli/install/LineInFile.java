package org.ttyaudit.cli.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One whole line present in (or absent from) a text file such as {@code /etc/shells}; every other line stays
 * byte for byte as it was. Adding appends the line; removing drops exactly the lines equal to it, so an
 * install and its uninstall give back the file's old bytes.
 */
record LineInFile(Path file, String line, boolean present, String newMode) implements Step {

    static LineInFile present(Path file, String line) {
        return new LineInFile(file, line, true, "rw-r--r--");
    }

    static LineInFile absent(Path file, String line) {
        return new LineInFile(file, line, false, "rw-r--r--");
    }

    @Override
    public Outcome apply(boolean dryRun) throws IOException {
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        List<String> lines = text == null ? List.of() : text.lines().toList();
        boolean there = lines.contains(line);
        if (there == present) {
            return Outcome.already(file + (present ? " has the line " : " has no line ") + line);
        }
        String updated;
        if (present) {
            String base = text == null ? "" : text;
            // A file whose last line has no newline gets none after ours either, so that removing our line
            // gives back exactly the old bytes.
            updated = base.isEmpty() || base.endsWith("\n") ? base + line + "\n" : base + "\n" + line;
        } else {
            updated = without(text);
        }
        if (!dryRun) {
            AtomicFiles.write(file, updated.getBytes(StandardCharsets.UTF_8), newMode);
        }
        return Outcome.changed((present ? "added the line " + line + " to " : "removed the line " + line + " from ")
                + file);
    }

    /** The text without the line, keeping every other line and its line ending as it was. */
    private String without(String text) {
        StringBuilder out = new StringBuilder(text.length());
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            parts.add(text.substring(start, end));
            start = end;
        }
        for (String part : parts) {
            String bare = part.endsWith("\n") ? part.substring(0, part.length() - 1) : part;
            if (bare.endsWith("\r")) {
                bare = bare.substring(0, bare.length() - 1);
            }
            if (!bare.equals(line)) {
                out.append(part);
            } else if (!part.endsWith("\n") && out.length() > 0 && out.charAt(out.length() - 1) == '\n') {
                // The last line without a newline: the newline before it was put there with it.
                out.setLength(out.length() - 1);
            }
        }
        return out.toString();
    }
}
