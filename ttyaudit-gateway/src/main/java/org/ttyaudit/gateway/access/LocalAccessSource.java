package org.ttyaudit.gateway.access;

import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.gateway.GatewayPolicy;
import org.ttyaudit.core.gateway.SshKeyFormatException;
import org.ttyaudit.core.gateway.SshPublicKey;
import org.ttyaudit.core.policy.CapturePolicies;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The access facts of a standalone gateway: the policy from its own configuration's {@code gateway:} section (and
 * the capture policies from its {@code capture:} section), and
 * each user's keys from an {@code authorized_keys}-style file found by a pattern in which {@code %u} stands for the
 * user name, as in sshd's {@code AuthorizedKeysFile} ({@code /etc/ttyaudit/keys/%u}).
 *
 * <p>Key files: one key per line as {@link SshPublicKey} reads it; blank lines and {@code #} comments are
 * skipped. A line with options ({@code from=...}, {@code no-pty}) is skipped with a warning, because the gateway
 * would not enforce them; so is any line that is not a usable key. A file is re-read when its modification time or
 * size changes; a missing file means no keys. The user name is checked before it goes into the path (letters,
 * digits, {@code . _ @ -}, not starting with a dot), so no name reaches outside the pattern's directory.
 *
 * <p>Thread-safe; the policy is fixed for the life of the object (reload by making a new one).
 */
public final class LocalAccessSource implements AccessSource {
    private static final Logger LOG = Logger.getLogger(LocalAccessSource.class.getName());
    /** Names safe to put into a path: no '/', and no leading '.', so neither "." nor ".." nor hidden files. */
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_@-][A-Za-z0-9._@-]{0,63}");
    /** Far more than any person's keys; a larger file is refused rather than read. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    private record Loaded(FileTime modified, long size, List<PublicKey> keys) {
    }

    private final GatewayPolicy policy;
    private final CapturePolicies capture;
    private final String keysFilePattern;
    private final Map<Path, Loaded> files = new ConcurrentHashMap<>();

    /**
     * @param gatewaySection  the configuration's {@code gateway:} section
     * @param captureSection  the configuration's {@code capture:} section (an empty mapping: the built-in policy)
     * @param keysFilePattern the key file of each user, with {@code %u} for the user name
     * @throws org.ttyaudit.core.config.ConfigException when the section is not a valid policy
     * @throws IllegalArgumentException                 when the pattern has no {@code %u} (every user would share
     *                                                  one file, so any key would log in as anyone)
     */
    public LocalAccessSource(ConfigNode gatewaySection, ConfigNode captureSection, String keysFilePattern) {
        this.policy = GatewayPolicy.load(gatewaySection);
        this.capture = CapturePolicies.parse(captureSection);
        this.keysFilePattern = Objects.requireNonNull(keysFilePattern, "keysFilePattern");
        if (!keysFilePattern.contains("%u")) {
            throw new IllegalArgumentException("the key file pattern must contain %u (the user name), e.g."
                    + " /etc/ttyaudit/keys/%u, not " + keysFilePattern);
        }
    }

    @Override
    public GatewayPolicy policy() {
        return policy;
    }

    @Override
    public CapturePolicies capturePolicies() {
        return capture;
    }

    @Override
    public Set<String> groupsOf(String user) {
        return policy.groupsOf(user);
    }

    @Override
    public List<PublicKey> keysOf(String user) {
        if (user == null || !USER.matcher(user).matches()) {
            return List.of();
        }
        Path file = Path.of(keysFilePattern.replace("%u", user));
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            files.remove(file);
            return List.of();
        } catch (IOException e) {
            LOG.warning("cannot read the key file " + file + ": " + e.getMessage());
            return List.of();
        }
        Loaded known = files.get(file);
        if (known != null && known.modified().equals(attributes.lastModifiedTime())
                && known.size() == attributes.size()) {
            return known.keys();
        }
        Loaded loaded = new Loaded(attributes.lastModifiedTime(), attributes.size(), read(file, attributes.size()));
        files.put(file, loaded);
        return loaded.keys();
    }

    private static List<PublicKey> read(Path file, long size) {
        if (!Files.isRegularFile(file)) {
            LOG.warning("the key file " + file + " is not a regular file; no keys");
            return List.of();
        }
        if (size > MAX_FILE_BYTES) {
            LOG.warning("the key file " + file + " has " + size + " bytes, more than " + MAX_FILE_BYTES + "; no keys");
            return List.of();
        }
        List<String> lines;
        try {
            lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            LOG.warning("cannot read the key file " + file + ": " + e.getMessage());
            return List.of();
        }
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                keys.add(PublicKeys.of(SshPublicKey.parse(line)));
            } catch (SshKeyFormatException | GeneralSecurityException e) {
                LOG.warning(file + ":" + (i + 1) + ": skipped: " + e.getMessage());
            }
        }
        return List.copyOf(keys);
    }
}
