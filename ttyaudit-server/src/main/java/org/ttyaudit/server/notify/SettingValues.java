package org.ttyaudit.server.notify;

import org.ttyaudit.core.config.ConfigNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values of the {@code notify} settings that {@link ConfigNode} has no getter for: durations ({@code 500ms},
 * {@code 5s}, {@code 5m}, {@code 24h}, {@code 7d}) and secrets, which are never written into the file itself but
 * named there: {@code {env: NAME}} (an environment variable) or {@code {file: PATH}} (a file's content without its
 * final line break; a relative path is relative to the settings file). A plain value is taken as it is, for what
 * is not secret. Errors are {@link org.ttyaudit.core.config.ConfigException}s at the value's line; they never
 * quote a secret. Stateless.
 */
public final class SettingValues {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private SettingValues() {
    }

    /** A duration under {@code key} within [{@code min}, {@code max}], or {@code fallback} when absent. */
    public static Duration duration(ConfigNode parent, String key, Duration fallback, Duration min, Duration max) {
        Optional<ConfigNode> node = parent.get(key);
        if (node.isEmpty()) {
            return fallback;
        }
        String text = parent.text(key).trim().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw node.get().error(key + ": expected a duration such as 500ms, 5s, 5m, 24h or 7d, not '"
                    + parent.text(key) + "'");
        }
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw node.get().error(key + ": '" + parent.text(key) + "' is too long");
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw node.get().error(key + ": " + parent.text(key) + " is outside " + describe(min) + ".."
                    + describe(max));
        }
        return d;
    }

    /**
     * The value under {@code key}: plain text, {@code {env: NAME}} or {@code {file: PATH}}; empty when absent.
     *
     * @param env the environment (System::getenv, or a map in tests)
     */
    public static Optional<String> optionalSecret(ConfigNode parent, String key, UnaryOperator<String> env) {
        Optional<ConfigNode> node = parent.get(key);
        if (node.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(secret(node.get(), key, env));
    }

    /** The value of {@code node} ({@code what} in errors): plain text, {@code {env: …}} or {@code {file: …}}. */
    public static String secret(ConfigNode node, String what, UnaryOperator<String> env) {
        if (node.isScalar()) {
            return node.text();
        }
        if (!node.isMapping() || node.keys().size() != 1) {
            throw node.error(what + ": expected a value, {env: NAME} or {file: PATH}");
        }
        node.allowOnly(List.of("env", "file"));
        if (node.get("env").isPresent()) {
            String name = node.text("env");
            String value = env.apply(name);
            if (value == null || value.isEmpty()) {
                throw node.error(what + ": the environment variable " + name + " is not set");
            }
            return value;
        }
        Path file = path(node, node.text("file"));
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8);
            value = value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                    : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
            if (value.isEmpty()) {
                throw node.error(what + ": the file " + file + " is empty");
            }
            return value;
        } catch (IOException e) {
            throw node.error(what + ": cannot read the file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** {@code path} as a file of the settings in {@code node}: a relative path is relative to the settings file. */
    public static Path path(ConfigNode node, String path) {
        Path file = Path.of(path);
        Path dir = Path.of(node.source()).toAbsolutePath().getParent();
        return file.isAbsolute() || dir == null ? file : dir.resolve(file);
    }

    private static String describe(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        if (d.toSeconds() < 60 || d.toSeconds() % 60 != 0) {
            return d.toSeconds() + "s";
        }
        if (d.toMinutes() < 60 || d.toMinutes() % 60 != 0) {
            return d.toMinutes() + "m";
        }
        return d.toHours() + "h";
    }
}
