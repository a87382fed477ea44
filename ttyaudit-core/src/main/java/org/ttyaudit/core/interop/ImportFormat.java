package org.ttyaudit.core.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/** The session log formats {@code ttyaudit import} reads; the {@linkplain #cliName() CLI name} is its --format. */
public enum ImportFormat {
    /** asciinema's asciicast, v2 or v3 (the header says which): one file. */
    ASCIICAST("asciicast"),
    /** A sudo I/O log: a directory with log.json (or log), timing, ttyin, ttyout, stdin, stdout, stderr. */
    SUDO("sudo"),
    /** tlog JSON messages, one per line (tlog-rec -w file): one file. */
    TLOG("tlog");

    private final String cliName;

    ImportFormat(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /**
     * The format with this CLI name.
     *
     * @throws IllegalArgumentException naming the accepted values, fit to show a user as is
     */
    public static ImportFormat fromCliName(String name) {
        for (ImportFormat f : values()) {
            if (f.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "' (expected asciicast, sudo or tlog)");
    }

    /** Opens {@code path} as a log of this format and reads its metadata. */
    public SessionSource open(Path path) throws IOException {
        if (this == SUDO) {
            return new SudoIoLogSource(path);
        }
        if (Files.isDirectory(path)) {
            throw new ImportFormatException(path.toString(), "is a directory; " + cliName + " logs are files");
        }
        Instant mtime = Files.getLastModifiedTime(path).toInstant();
        InputStream in = Files.newInputStream(path);
        try {
            return this == ASCIICAST ? new AsciicastSource(path.toString(), in, mtime)
                    : new TlogSource(path.toString(), in, mtime);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
