package org.ttyaudit.recorder.upload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.core.json.JsonTrees;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The host credential file (docs/INGEST.md, "Enrollment"): JSON
 * {@code {"server", "servers", "fingerprint", "host_id", "credential"}}, mode 0600.
 *
 * <p>{@code servers} (a list of URLs, preferred first) is there when the host knows several server instances; then
 * {@code server} repeats its first URL, so that an older ttyaudit, which reads only {@code server}, keeps working
 * with the preferred instance. A file with {@code server} alone (the older form) is a list of one.
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
            root = JsonTrees.read(bytes); // no ObjectMapper: this runs before every uploading session starts
        } catch (JsonProcessingException e) {
            throw new IOException(file + ": not a host credential file (invalid JSON at line "
                    + e.getLocation().getLineNr() + ")");
        } catch (CharConversionException e) {
            // Bytes Jackson cannot read as text in any of JSON's encodings (leading NULs look like UTF-32).
            throw new IOException(file + ": not a host credential file (not JSON text)");
        }
        if (root == null || !root.isObject()) {
            throw new IOException(file + ": not a host credential file (not a JSON object)");
        }
        try {
            return new HostCredential(servers(root), text(root, "fingerprint", true), text(root, "host_id", false),
                    text(root, "credential", false));
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
        ObjectMapper mapper = new ObjectMapper(); // enrolling only: not worth keeping one for the session start
        ObjectNode json = mapper.createObjectNode();
        json.put("server", credential.server().toString());
        if (credential.servers().size() > 1) {
            var list = json.putArray("servers");
            credential.servers().forEach(u -> list.add(u.toString()));
        }
        json.put("fingerprint", credential.fingerprint());
        json.put("host_id", credential.hostId());
        json.put("credential", credential.credential());
        byte[] bytes = (mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        PrivateFiles.replace(target, bytes);
    }

    /** {@code servers}, checked against {@code server} when both are there; else {@code server} alone. */
    private static List<URI> servers(JsonNode root) {
        JsonNode list = root.get("servers");
        if (list == null || list.isNull()) {
            return List.of(HostCredential.parseServer(text(root, "server", false)));
        }
        if (!list.isArray() || list.isEmpty()) {
            throw new IllegalArgumentException("'servers' must be a list of one or more URLs");
        }
        List<URI> servers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode n = list.get(i);
            if (!n.isTextual()) {
                throw new IllegalArgumentException("'servers' item " + (i + 1) + " must be a string");
            }
            try {
                servers.add(HostCredential.parseServer(n.textValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'servers' item " + (i + 1) + ": " + e.getMessage());
            }
        }
        String single = text(root, "server", true);
        if (single != null && !HostCredential.parseServer(single).equals(servers.get(0))) {
            throw new IllegalArgumentException("'server' (" + single + ") must be the first of 'servers' ("
                    + servers.get(0) + ")");
        }
        return HostCredential.checkServers(servers);
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
