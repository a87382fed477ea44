package org.ttyaudit.server.notify;

import org.ttyaudit.core.config.ConfigNode;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The targets named in the settings file's {@code notify} section ({@code ServerSettings#notifications()}), and
 * the retry policy they share:
 * <pre>
 * notify:
 *   targets:
 *     - name: ops
 *       type: webhook            # or syslog
 *       url: https://hooks.example.com/x
 *       headers: {Authorization: {env: OPS_WEBHOOK_TOKEN}}
 *   retry: {first_delay: 1s, max_delay: 5m, give_up_after: 24h}
 * </pre>
 * Every key is checked when the settings are read (docs/ALERTS.md lists them); secrets named with
 * {@code {env: …}} or {@code {file: …}} are read then too, so a missing one stops the server's start rather
 * than the first alert. Immutable.
 */
public final class NotifyTargets {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final NotifyTargets NONE = new NotifyTargets(Map.of(), RetryPolicy.DEFAULT);

    private final Map<String, NotifyTarget> targets;
    private final RetryPolicy retry;

    private NotifyTargets(Map<String, NotifyTarget> targets, RetryPolicy retry) {
        this.targets = targets;
        this.retry = retry;
    }

    /**
     * Reads the {@code notify} section, taking {@code {env: NAME}} values from the process environment.
     *
     * @throws org.ttyaudit.core.config.ConfigException with file, line and reason for anything wrong
     */
    public static NotifyTargets parse(ConfigNode notifySection) {
        return parse(notifySection, System::getenv);
    }

    /** {@link #parse(ConfigNode)} with the environment given (tests). */
    static NotifyTargets parse(ConfigNode notifySection, UnaryOperator<String> env) {
        notifySection.allowOnly(List.of("targets", "retry"));
        Map<String, NotifyTarget> targets = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        for (ConfigNode t : notifySection.list("targets")) {
            if (!t.isMapping()) {
                throw t.error("targets: every item must be a mapping (name:, type:, …)");
            }
            String name = t.text("name");
            if (!NAME.matcher(name).matches()) {
                throw t.require("name").error("name: '" + name + "' must be 1 to 64 letters, digits, '_', '.' or"
                        + " '-', starting with a letter or digit");
            }
            if (lines.containsKey(name)) {
                throw t.require("name").error("name: a target named '" + name + "' is already defined at line "
                        + lines.get(name));
            }
            String type = t.choice("type", null, List.of("webhook", "syslog"));
            if (type == null) {
                throw t.error("target " + name + ": missing 'type' (webhook or syslog)");
            }
            targets.put(name, type.equals("webhook") ? WebhookTarget.parse(t, name, env) : SyslogTarget.parse(t, name));
            lines.put(name, t.require("name").line());
        }
        RetryPolicy retry = RetryPolicy.parse(notifySection.mapping("retry"));
        return new NotifyTargets(Collections.unmodifiableMap(targets), retry);
    }

    /** No targets (the default when the settings have no {@code notify} section). */
    public static NotifyTargets none() {
        return NONE;
    }

    /** Targets given in code (tests, tools). @throws IllegalArgumentException when two share a name */
    public static NotifyTargets of(Collection<? extends NotifyTarget> targets, RetryPolicy retry) {
        Map<String, NotifyTarget> byName = new LinkedHashMap<>();
        for (NotifyTarget t : targets) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("two targets are named " + t.name());
            }
        }
        return new NotifyTargets(Collections.unmodifiableMap(byName), retry);
    }

    /** The names rules may use in their {@code notify} action. */
    public Set<String> names() {
        return targets.keySet();
    }

    public Optional<NotifyTarget> target(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    public Collection<NotifyTarget> all() {
        return targets.values();
    }

    public RetryPolicy retry() {
        return retry;
    }

    @Override
    public String toString() {
        return "notify targets " + targets.values();
    }
}
