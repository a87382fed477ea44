package org.ttyaudit.gateway.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Key files made by the real {@code ssh-keygen}. */
public final class Keys {
    private Keys() {
    }

    /** Generates an unencrypted key pair at {@code file} (+ {@code .pub}); type {@code ed25519} or {@code rsa}. */
    public static Path generate(Path file, String type) throws IOException, InterruptedException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(Path.of(file + ".pub"));
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "test", "-f", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("ssh-keygen failed: " + out);
        }
        return file;
    }

    public static String publicLine(Path privateKey) throws IOException {
        return Files.readString(Path.of(privateKey + ".pub")).trim();
    }
}
