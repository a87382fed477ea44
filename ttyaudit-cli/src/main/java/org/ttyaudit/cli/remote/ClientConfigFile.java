package org.ttyaudit.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.cli.UserError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The file where {@code ttyaudit login} keeps the client's {@link ClientConfig}:
 * {@code $XDG_CONFIG_HOME/ttyaudit/client.json}, else {@code ~/.config/ttyaudit/client.json}.
 *
 * <p>It holds a secret, so it is written 0600 in a 0700 directory, and atomically: the new content goes to a
 * private temporary file in the same directory, is forced to disk, and is renamed over the old file. A reader
 * therefore sees the old file or the new one, never a half-written token, and the token never exists in a file
 * anyone else can read, not even for a moment.
 *
 * <p>Not thread-safe against concurrent writers in other processes beyond that (the last rename wins).
 * Failures are {@link UserError}s naming the file.
 */
public final class ClientConfigFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path path;

    public ClientConfigFile(Path path) {
        this.path = path;
    }

    /**
     * The file for this environment. An {@code XDG_CONFIG_HOME} that is not absolute is ignored, as the XDG
     * base directory specification says.
     */
    public static ClientConfigFile locate(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base;
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            base = Path.of(xdg);
        } else {
            String home = env.get("HOME");
            base = Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config");
        }
        return new ClientConfigFile(base.resolve("ttyaudit").resolve("client.json"));
    }

    public Path path() {
        return path;
    }

    /** The saved configuration; empty when there is no file. */
    public Optional<ClientConfig> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw UserError.failure(path + ": cannot read: " + e.getMessage());
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return Optional.of(new ClientConfig(text(n, "server"), text(n, "fingerprint"), text(n, "token"),
                    text(n, "token_id"), text(n, "user")));
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw UserError.failure(path + ": not a valid client configuration (" + e.getMessage()
                    + "); run ttyaudit login again, or remove the file");
        }
    }

    /** Replaces the file with {@code config}, atomically and privately (see the class comment). */
    public void write(ClientConfig config) {
        ObjectNode n = JSON.createObjectNode();
        n.put("server", config.server());
        n.put("fingerprint", config.fingerprint());
        n.put("token", config.token());
        n.put("token_id", config.tokenId());
        n.put("user", config.user());
        byte[] bytes;
        try {
            bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the client configuration", e);
        }
        Path dir = path.getParent();
        Path tmp = null;
        try {
            createPrivateDirectory(dir);
            tmp = Files.createTempFile(dir, ".client.json.", ".tmp", PosixFilePermissions.asFileAttribute(FILE_MODE));
            // The umask can only take bits away; set the mode again anyway so the file is 0600 whatever happens.
            Files.setPosixFilePermissions(tmp, FILE_MODE);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot rename atomically", e);
            }
            tmp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            throw UserError.failure(path + ": cannot save the client configuration: " + e.getMessage());
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is private (0600) anyway
                }
            }
        }
    }

    /** Removes the file; false when there was none. */
    public boolean delete() {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw UserError.failure(path + ": cannot remove: " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            Files.createDirectories(parent);   // ~/.config: the usual mode, as any program would make it
        }
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } catch (FileAlreadyExistsException e) {
            // made at the same moment by another login: fine
        }
    }

    /** Makes the rename durable (Linux allows fsync on a directory opened for reading). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems refuse; the rename itself already happened
        }
    }
}
