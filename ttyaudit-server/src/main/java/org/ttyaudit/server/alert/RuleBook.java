package org.ttyaudit.server.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.core.format.Sha256;
import org.ttyaudit.core.rules.RuleSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The rules in force: the default pack and the rule file named by the settings' {@code rules} section
 * ({@code file}, relative to the settings file; {@code default_pack}, on unless {@code false}). {@link #reload()}
 * reads the file again (the rule runner calls {@link #reloadIfChanged()} every few seconds, the admin API calls
 * {@link #reload()}); a file that does not load leaves the previous rules in force, and the error names file,
 * line and reason. Rules that notify a target the settings do not define are refused the same way, so a typo
 * in a target name is found when the rules load, not when an alert cannot be delivered. Thread-safe.
 */
public final class RuleBook {
    private static final Logger log = LoggerFactory.getLogger(RuleBook.class);

    /** What is in force, and the file contents it came from (to notice changes). */
    public record Loaded(RuleSet rules, Path file, String fileSha256) {
    }

    private final Path file;
    private final boolean defaultPack;
    private final Set<String> targets;
    private final AlertMetrics metrics;
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    /** The contents hash of a changed file that did not load (so the error is logged once, not every poll). */
    private volatile String lastFailed;

    private RuleBook(Path file, boolean defaultPack, Set<String> targets, AlertMetrics metrics) {
        this.file = file;
        this.defaultPack = defaultPack;
        this.targets = Set.copyOf(targets);
        this.metrics = metrics;
    }

    /**
     * Loads the rules the settings name.
     *
     * @param section      the settings' {@code rules} section
     * @param settingsFile the settings file (a relative rule file path is relative to its directory)
     * @param targets      the notification targets the settings define
     * @throws ConfigException when the section or the rule file is not valid (the server does not start)
     */
    public static RuleBook load(ConfigNode section, Path settingsFile, Set<String> targets, AlertMetrics metrics) {
        section.allowOnly(Set.of("file", "default_pack"));
        Path file = section.get("file").map(n -> {
            Path p = Path.of(section.text("file"));
            Path dir = settingsFile.toAbsolutePath().getParent();
            return p.isAbsolute() || dir == null ? p : dir.resolve(p);
        }).orElse(null);
        RuleBook book = new RuleBook(file, section.bool("default_pack", true), targets, metrics);
        book.install(book::read);
        return book;
    }

    /** The rules in force. */
    public Loaded current() {
        return current.get();
    }

    /**
     * Reads the rule file again and puts it in force.
     *
     * @throws ConfigException when it does not load; the previous rules stay in force
     */
    public Loaded reload() {
        return install(this::read);
    }

    /**
     * Reloads when the rule file's contents changed since they were last read; a file that does not load is
     * logged once per change, and the previous rules stay in force.
     *
     * @return the newly loaded rules, or null when nothing changed or the new file did not load
     */
    public Loaded reloadIfChanged() {
        if (file == null) {
            return null;
        }
        byte[] bytes;
        String sha;
        try {
            bytes = Files.readAllBytes(file);
            sha = Sha256.hex(Sha256.of(bytes));
        } catch (IOException e) {
            bytes = null;
            sha = "unreadable: " + e.getMessage();
        }
        if (sha.equals(current.get().fileSha256()) || sha.equals(lastFailed)) {
            return null;
        }
        byte[] contents = bytes;
        try {
            Loaded loaded = install(() -> contents == null ? read() : parse(contents));
            lastFailed = null;
            return loaded;
        } catch (ConfigException e) {
            lastFailed = sha;
            log.error("the changed rule file does not load, the previous rules stay in force: {}", e.getMessage());
            return null;
        }
    }

    /** Puts what {@code loader} loads in force, and counts the attempt. */
    private Loaded install(Supplier<Loaded> loader) {
        try {
            Loaded loaded = loader.get();
            current.set(loaded);
            metrics.reloaded(true);
            log.info("rules loaded: {} rules{}", loaded.rules().rules().size(),
                    file == null ? " (default pack)" : " from " + file);
            return loaded;
        } catch (ConfigException e) {
            metrics.reloaded(false);
            throw e;
        }
    }

    private Loaded read() {
        if (file == null) {
            return new Loaded(defaultPack ? RuleSet.defaultPack() : RuleSet.of(List.of()), null, null);
        }
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "cannot read the rule file: " + e.getMessage());
        }
    }

    /** The rules of the file's contents {@code bytes} (the hash in force is always that of the rules in force). */
    private Loaded parse(byte[] bytes) {
        if (bytes.length > YamlConfig.MAX_BYTES) {
            throw new ConfigException(file.toString(), 0, "the file is larger than " + YamlConfig.MAX_BYTES
                    + " bytes");
        }
        RuleSet rules = RuleSet.parse(YamlConfig.utf8(bytes, file.toString()), file.toString(), defaultPack);
        Set<String> unknown = new TreeSet<>(rules.notifyTargets());
        unknown.removeAll(targets);
        if (!unknown.isEmpty()) {
            throw new ConfigException(file.toString(), 0, "rules notify " + String.join(", ", unknown)
                    + ", which the settings' notify section does not define (defined: "
                    + (targets.isEmpty() ? "none" : String.join(", ", new TreeSet<>(targets))) + ")");
        }
        return new Loaded(rules, file, Sha256.hex(Sha256.of(bytes)));
    }
}
