package org.ttyaudit.recorder.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.core.json.JsonTrees;
import org.ttyaudit.core.policy.CapturePolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
            JsonNode n = JsonTrees.read(Files.readAllBytes(file));
            if (!user.equals(n.path("user").asText(null)) || !groups.equals(texts(n.path("groups")))) {
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
        // Nodes and JsonTrees, not an ObjectMapper: this runs on the session's start (docs/PERFORMANCE.md).
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("user", user);
        groups.forEach(n.putArray("groups")::add);
        n.set("policy", policy.toJson());
        byte[] json = JsonTrees.write(n);
        byte[] line = Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        PrivateFiles.replace(file, line);
    }

    /** The strings of a JSON array; null (never equal to a list of groups) when it is anything else. */
    private static List<String> texts(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode element : array) {
            if (!element.isTextual()) {
                return null;
            }
            texts.add(element.textValue());
        }
        return texts;
    }
}
