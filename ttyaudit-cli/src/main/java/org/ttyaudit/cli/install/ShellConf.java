package org.ttyaudit.cli.install;

import org.ttyaudit.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-user real shells in {@code /etc/ttyaudit/shell.conf} ({@code shell.USER = /bin/zsh}), the file
 * {@code ttyaudit shell} reads to know which shell to run for whom. {@code login-shell} records each user's
 * previous login shell here before it replaces it, and {@code --uninstall} gives it back from here.
 */
final class ShellConf {
    static final String FILE = "/etc/ttyaudit/shell.conf";
    private static final Pattern ENTRY = Pattern.compile("^\\s*shell\\.([^\\s=:]+)\\s*[=:]\\s*(.*?)\\s*$");
    private static final String HEADER = "# " + ManagedFile.MARKER + " (login-shell): the real shell of each user\n"
            + "# whose login shell is ttyaudit-shell. Settings: see 'ttyaudit shell --help'.\n";

    private ShellConf() {
    }

    /** The recorded real shells by user, in file order. */
    static Map<String, String> entries(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Matcher m = ENTRY.matcher(line);
                if (m.matches()) {
                    out.put(m.group(1), m.group(2));
                }
            }
        }
        return out;
    }

    /** Records {@code user}'s real shell (a file that does not exist yet is created, marked as ours). */
    static Step record(Path file, String user, String shell) {
        return dryRun -> {
            String old = entries(file).get(user);
            if (shell.equals(old)) {
                return Step.Outcome.already(file + " has " + user + "'s real shell " + shell);
            }
            if (old != null) {
                throw UserError.failure(file + " already names " + old + " as " + user + "'s real shell, not " + shell
                        + "; remove that line or uninstall first");
            }
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : HEADER;
            String updated = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "shell." + user + " = "
                    + shell + "\n";
            if (!dryRun) {
                // Root-owned and not writable by others: ttyaudit shell refuses the file otherwise.
                AtomicFiles.write(file, updated.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
            }
            return Step.Outcome.changed("recorded " + user + "'s real shell " + shell + " in " + file);
        };
    }

    /**
     * Forgets {@code user}'s entry, keeping every other line; a file this command created and that now holds
     * nothing but its own comments is removed again.
     */
    static Step forget(Path file, String user) {
        return dryRun -> {
            if (!entries(file).containsKey(user)) {
                return Step.Outcome.already(file + " has no real shell for " + user);
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            StringBuilder kept = new StringBuilder();
            for (String line : text.split("(?<=\n)")) {
                Matcher m = ENTRY.matcher(line.stripTrailing());
                if (!(m.matches() && m.group(1).equals(user))) {
                    kept.append(line);
                }
            }
            String updated = kept.toString();
            boolean onlyOurHeader = updated.equals(HEADER);
            if (!dryRun) {
                if (onlyOurHeader) {
                    Files.delete(file);
                } else {
                    AtomicFiles.write(file, updated.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
                }
            }
            return Step.Outcome.changed("removed " + user + "'s real shell from " + file
                    + (onlyOurHeader ? " (and the file, which held nothing else)" : ""));
        };
    }

    static List<String> users(Path file) throws IOException {
        return List.copyOf(entries(file).keySet());
    }
}
