package org.ttyaudit.server.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** This machine's host name, for the self-signed certificate and the HOSTNAME of syslog notifications. */
public final class LocalHostName {
    private static final Path LINUX_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private LocalHostName() {
    }

    /**
     * The kernel's host name on Linux (no DNS lookup, which can hang on a machine with broken resolution), else
     * what the JDK finds; empty when neither works.
     */
    public static Optional<String> get() {
        try {
            if (Files.isReadable(LINUX_HOSTNAME)) {
                String name = Files.readString(LINUX_HOSTNAME, StandardCharsets.US_ASCII).trim();
                if (!name.isEmpty()) {
                    return Optional.of(name);
                }
            }
        } catch (IOException e) {
            // fall through to the JDK
        }
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
