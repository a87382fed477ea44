package org.ttyaudit.recorder.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The host credential file (docs/INGEST.md, "Enrollment"): JSON
 * {@code {"server", "fingerprint", "host_id", "credential"}}, mode 0600.
 *
 * <p>Location: {@value #SYSTEM_PATH} for root; otherwise {@code $XDG_CONFIG_HOME/ttyaudit/host.json}, else
 * {@code ~/.config/ttyaudit/host.json}; or a path given explicitly.
 *
 * <p>Writing is atomic: a temporary file created with mode 0600 (never more open, not even for an instant) is
 * written, fsync'd and renamed over the target, so a reader sees the old credential or the new one, never a mix.
 * Stateless and thread-safe. The credential never appears in exceptions or logs.
 */
public final class HostCredentialFile {
    static final String SYSTEM_PATH = "/etc/ttyaudit/host.json";
    /** Where root keeps the host's credential; {@code ttyaudit shell} uploads only when it exists. */
    public static final Path SYSTEM_LOCATION = Path.of(SYSTEM_PATH);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HostCredentialFile() {
    }

    /** The default location for a user ({@code root}: whether the process runs as uid 0). */
    public static Path defaultLocation(boolean root, Map<String, String> env) {
        if (root) {
            return SYSTEM_LOCATION;
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "ttyaudit", "host.json");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".config", "ttyaudit", "host.json");
    }

    /**
     * Reads the credential.
     *
     * @throws NoSuchFileException when there is no file
     * @throws IOException         when it cannot be read or is not a valid credential file (the message names the
     *                             file and the problem, never the credential)
     */
    public static HostCredential read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not a host credential file (invalid JSON at line "
                    + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": not a host credential file (not a JSON object)");
        }
        try {
            return new HostCredential(HostCredential.parseServer(text(root, "server", false)),
                    text(root, "fingerprint", true), text(root, "host_id", false), text(root, "credential", false));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": invalid host credential file: " + e.getMessage());
        }
    }

    /**
     * Writes {@code credential} to {@code file} atomically with mode 0600, replacing an older one. Missing parent
     * directories are created private to the user (for {@value #SYSTEM_PATH}: readable by all, as /etc is).
     */
    public static void write(Path file, HostCredential credential) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (!Files.isDirectory(dir)) {
            String mode = target.equals(SYSTEM_LOCATION) ? "rwxr-xr-x" : "rwx------";
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        }
        ObjectNode json = MAPPER.createObjectNode();
        json.put("server", credential.server().toString());
        json.put("fingerprint", credential.fingerprint());
        json.put("host_id", credential.hostId());
        json.put("credential", credential.credential());
        byte[] bytes = (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        PrivateFiles.replace(target, bytes);
    }

    private static String text(JsonNode root, String field, boolean nullable) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (nullable) {
                return null;
            }
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return n.textValue();
    }
}
