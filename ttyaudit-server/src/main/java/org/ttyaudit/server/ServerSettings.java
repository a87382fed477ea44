package org.ttyaudit.server;

import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.config.YamlConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The server's settings file (YAML, {@code --config FILE} or {@code server.yaml} in the data directory): one
 * section per feature, each read and checked by that feature when the server starts, so a mistake stops the
 * start with file, line and reason. Sections:
 * <ul>
 *   <li>{@code rules}: the rule file and whether the default pack is on (docs/RULES.md);</li>
 *   <li>{@code notify}: where alerts are sent, by name (webhooks, syslog);</li>
 *   <li>{@code capture}: capture policies handed to recorders (what is kept of whose sessions);</li>
 *   <li>{@code gateway}: the SSH gateway's targets, groups and allow rules, served to enrolled gateways
 *       ({@link org.ttyaudit.core.gateway.GatewayPolicy});</li>
 *   <li>{@code retention}: how long sessions are kept, and the pruning job
 *       ({@link org.ttyaudit.server.retention.RetentionSettings}, docs/RETENTION.md).</li>
 *   <li>{@code forwarding}: forwarders to log pipelines (syslog, Splunk HEC, Fluentd; docs/FORWARDING.md).</li>
 *   <li>{@code blobs}: where chunk bytes are stored: the data directory, or S3-compatible object storage
 *       ({@link org.ttyaudit.server.blob.BlobSettings}, docs/DEPLOY.md).</li>
 * </ul>
 * A missing default file means every section is empty (defaults everywhere); a missing file given explicitly is
 * an error. Immutable.
 */
public final class ServerSettings {
    public static final String DEFAULT_FILE_NAME = "server.yaml";
    private static final Set<String> SECTIONS = Set.of("rules", "notify", "capture", "gateway", "retention",
            "forwarding", "database", "blobs");

    private final Path file;
    private final ConfigNode root;

    private ServerSettings(Path file, ConfigNode root) {
        this.file = file;
        this.root = root;
    }

    /**
     * Reads the settings of {@code config}.
     *
     * @throws ConfigException when the file given is missing, or is not valid settings
     */
    public static ServerSettings load(ServerConfig config) {
        Path path = config.settingsPath();
        if (config.settingsFile() == null && !Files.exists(path)) {
            return empty(path);
        }
        ConfigNode root = YamlConfig.read(path);
        root.allowOnly(SECTIONS);
        return new ServerSettings(path, root);
    }

    /** No settings: every feature uses its defaults. */
    public static ServerSettings empty(Path file) {
        return new ServerSettings(file, YamlConfig.parse("", file.toString()));
    }

    /** The settings file (it may not exist, when defaults are in force). */
    public Path file() {
        return file;
    }

    /** The {@code rules} section (an empty mapping when absent). */
    public ConfigNode rules() {
        return root.mapping("rules");
    }

    /** The {@code notify} section (an empty mapping when absent). */
    public ConfigNode notifications() {
        return root.mapping("notify");
    }

    /** The {@code gateway} section (an empty mapping when absent: no gateway user may reach anything). */
    public ConfigNode gateway() {
        return root.mapping("gateway");
    }

    /** The {@code retention} section (an empty mapping when absent: nothing is pruned). */
    public ConfigNode retention() {
        return root.mapping("retention");
    }

    /** The {@code forwarding} section (an empty mapping when absent: nothing is forwarded). */
    public ConfigNode forwarding() {
        return root.mapping("forwarding");
    }

    /** The {@code blobs} section (an empty mapping when absent: chunk bytes go to the data directory). */
    public ConfigNode blobs() {
        return root.mapping("blobs");
    }

    /** The {@code capture} section (an empty mapping when absent). */
    public ConfigNode capture() {
        return root.mapping("capture");
    }

    /** The {@code database} section (an empty mapping when absent: the embedded store, unless the environment
     * names a database). */
    public ConfigNode database() {
        return root.mapping("database");
    }
}
