package org.ttyaudit.recorder.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.core.policy.CapturePolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The last capture policy the server gave this host for a user, kept next to the host credential
 * ({@code capture-policy.json} in its directory, mode 0600 like the credential), so a session that starts while
 * the server cannot be reached is still captured as the server decided. JSON:
 * {@code {"user": "alice", "groups": ["alice", "dev"], "policy": {…}}} (the policy as the server sent it). The
 * entry is used only for the same user and groups; any other user's session finds no entry.
 *
 * <p>Stateless; reading never throws (a missing, unreadable or damaged cache is no cache).
 */
public final class CapturePolicyCache {
    public static final String FILE_NAME = "capture-policy.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;

    public CapturePolicyCache(Path credentialFile) {
        this.file = credentialFile.toAbsolutePath().resolveSibling(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** The cached policy for this user and groups, if there is one. */
    public Optional<CapturePolicy> read(String user, List<String> groups) {
        try {
            JsonNode n = MAPPER.readTree(Files.readAllBytes(file));
            if (n == null || !user.equals(n.path("user").asText(null))
                    || !groups.equals(MAPPER.convertValue(n.path("groups"), List.class))) {
                return Optional.empty();
            }
            return Optional.of(CapturePolicy.fromJson(n.get("policy")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Keeps {@code policy} as the last one the server gave for this user.
     *
     * @throws IOException when the file cannot be written (e.g. a user's recorder next to root's credential)
     */
    public void write(String user, List<String> groups, CapturePolicy policy) throws IOException {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("user", user);
        groups.forEach(n.putArray("groups")::add);
        n.set("policy", policy.toJson());
        PrivateFiles.replace(file, (n.toString() + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
