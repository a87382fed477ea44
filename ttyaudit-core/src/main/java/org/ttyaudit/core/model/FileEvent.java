package org.ttyaudit.core.model;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file the session touched, as seen by whoever recorded it: the SSH gateway's SFTP and SCP relay (operation,
 * path, bytes transferred and the SHA-256 of the content), or a Linux audit log ({@code ttyaudit ingest-audit}).
 *
 * @param operation   what was done, a lower-case word: {@code read} (content left the host), {@code write} (content
 *                    arrived), {@code remove}, {@code rename}, {@code mkdir}, {@code rmdir}, {@code setstat},
 *                    {@code symlink}, {@code link}; docs/FORMAT.md lists them. Other words are kept as they are
 * @param path        the path on the host the session ran on, as the client named it
 * @param targetPath  the second path of a {@code rename}, {@code symlink} or {@code link}; null otherwise
 * @param bytes       how many bytes of content were transferred; null when not a transfer (or unknown)
 * @param sha256      SHA-256 of the content transferred, in order; null when unknown (not a transfer, or the
 *                    client did not read or write the file front to back)
 * @param source      who saw it: {@code sftp}, {@code scp}, {@code audit}, …
 */
public record FileEvent(long offsetMicros, String operation, String path, String targetPath, Long bytes,
                        byte[] sha256, String source) implements Event {
    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public FileEvent {
        Offsets.check(offsetMicros);
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(source, "source");
        if (!WORD.matcher(operation).matches()) {
            throw new IllegalArgumentException("file operation must be a lower-case word, not '" + operation + "'");
        }
        if (!WORD.matcher(source).matches()) {
            throw new IllegalArgumentException("file event source must be a lower-case word, not '" + source + "'");
        }
        if (bytes != null && bytes < 0) {
            throw new IllegalArgumentException("bytes transferred must not be negative: " + bytes);
        }
        if (sha256 != null && sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 has 32 bytes, not " + sha256.length);
        }
    }

    /** The content's SHA-256 as lower-case hex, or null. */
    public String sha256Hex() {
        return sha256 == null ? null : HexFormat.of().formatHex(sha256);
    }

    @Override
    public String kind() {
        return "file";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileEvent f && f.offsetMicros == offsetMicros && f.operation.equals(operation)
                && f.path.equals(path) && Objects.equals(f.targetPath, targetPath) && Objects.equals(f.bytes, bytes)
                && java.util.Arrays.equals(f.sha256, sha256) && f.source.equals(source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(offsetMicros, operation, path, targetPath, bytes, java.util.Arrays.hashCode(sha256), source);
    }

    @Override
    public String toString() {
        return "FileEvent[" + offsetMicros + " " + operation + " " + path + (targetPath == null ? "" : " -> " + targetPath)
                + (bytes == null ? "" : " " + bytes + " bytes") + (sha256 == null ? "" : " sha256=" + sha256Hex())
                + " via " + source + "]";
    }
}
