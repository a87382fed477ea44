package org.ttyaudit.core.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The fingerprint of an imported log, kept in the record ({@code import_sha256}) so the import can be tied to its
 * source later: the SHA-256 of the file; for a directory (a sudo I/O log), the SHA-256 of one line per regular
 * file in it, sorted by name, {@code NAME SP SHA256-HEX LF}. Also the total size, for the progress bar.
 */
public record SourceDigest(String sha256, long bytes) {
    public static SourceDigest of(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return ofFile(path);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(path)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        MessageDigest listing = newSha256();
        long total = 0;
        for (Path f : files) {
            SourceDigest d = ofFile(f);
            total += d.bytes();
            listing.update((f.getFileName() + " " + d.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new SourceDigest(HexFormat.of().formatHex(listing.digest()), total);
    }

    private static SourceDigest ofFile(Path file) throws IOException {
        MessageDigest md = newSha256();
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r = in.read(buf); r > 0; r = in.read(buf)) {
                md.update(buf, 0, r);
                n += r;
            }
        }
        return new SourceDigest(HexFormat.of().formatHex(md.digest()), n);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
