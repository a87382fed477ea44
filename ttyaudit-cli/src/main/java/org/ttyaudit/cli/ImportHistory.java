package org.ttyaudit.cli;

import org.ttyaudit.recorder.spool.DataDirectory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code import} and {@code ingest-audit} made from which source, by the source's SHA-256 (the
 * {@code import_sha256} tag): the file {@code imports.tsv} in the data directory, one line per record made,
 * {@code SHA256 TAB SCOPE TAB SESSION_ID}. The scope says what the record is of the source: {@code import} for an
 * import, {@code audit_session=N attached_to=ID} or {@code audit_session=N} for ingest-audit's records. A record
 * leaves the spool when it is uploaded, so the spool cannot tell that a file was imported before; this can.
 *
 * <p>Appended after each record is made; lines it cannot read are passed over. Not locked: two imports of one
 * file at the same moment can both happen.
 */
final class ImportHistory {
    static final String FILE = "imports.tsv";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path file;

    ImportHistory(Path file) {
        this.file = file;
    }

    static ImportHistory of(DataDirectory data) {
        return new ImportHistory(data.root().resolve(FILE));
    }

    /** The session last made from the source with {@code sha256} for {@code scope}, if any. */
    Optional<String> find(String sha256, String scope) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw UserError.failure("cannot read " + file + ": " + SessionRunner.reason(e));
        }
        String found = null;
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length == 3 && f[0].equals(sha256) && f[1].equals(scope)) {
                found = f[2];
            }
        }
        return Optional.ofNullable(found);
    }

    /** Notes that {@code sessionId} was made from the source with {@code sha256} for {@code scope}. */
    void add(String sha256, String scope, String sessionId) throws IOException {
        if (!SHA256.matcher(sha256).matches() || scope.contains("\t") || scope.contains("\n")) {
            throw new IllegalArgumentException("not a history entry: " + sha256 + " " + scope);
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, sha256 + "\t" + scope + "\t" + sessionId + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }
}
