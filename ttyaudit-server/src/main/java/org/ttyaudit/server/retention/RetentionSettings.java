package org.ttyaudit.server.retention;

import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.policy.PolicyMatch;
import org.ttyaudit.server.notify.SettingValues;
import org.ttyaudit.server.store.PruneCandidate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code retention} section of server.yaml (docs/RETENTION.md):
 * <pre>
 * retention:
 *   keep_days: 365              # sessions no rule matches; absent or "forever": never pruned
 *   minimum_keep_days: 180      # the compliance floor: a keep_days below it stops the start
 *   prune_every: 24h            # how often the pruning job runs (default 24h)
 *   batch: 100                  # sessions pruned per transaction (default 100)
 *   rules:
 *     - name: contractors
 *       match: {groups: [contractors]}
 *       keep_days: 730
 *     - name: pci
 *       tags: ['env:pci']
 *       keep_days: forever
 * </pre>
 * A session's keep time is the <b>longest</b> keep_days among the rules that match it, so that nothing is
 * pruned earlier than any rule demands; when no rule matches, the default. Immutable.
 */
public final class RetentionSettings {
    private static final Set<String> KEYS = Set.of("keep_days", "minimum_keep_days", "prune_every", "batch", "rules");
    private static final Set<String> RULE_KEYS = Set.of("name", "match", "tags", "keep_days");
    private static final Set<String> MATCH_KEYS = Set.of("users", "groups", "hosts");
    private static final long MAX_DAYS = 365L * 1000;

    private final long defaultKeepDays;
    private final long minimumKeepDays;
    private final Duration pruneEvery;
    private final int batch;
    private final List<RetentionRule> rules;

    RetentionSettings(long defaultKeepDays, long minimumKeepDays, Duration pruneEvery, int batch,
                      List<RetentionRule> rules) {
        this.defaultKeepDays = defaultKeepDays;
        this.minimumKeepDays = minimumKeepDays;
        this.pruneEvery = pruneEvery;
        this.batch = batch;
        this.rules = List.copyOf(rules);
    }

    /**
     * Reads the section (an empty mapping: nothing is ever pruned).
     *
     * @throws ConfigException at the line of the mistake; a keep_days below minimum_keep_days names the rule and
     *                         both numbers
     */
    public static RetentionSettings parse(ConfigNode section) {
        section.allowOnly(KEYS);
        long minimum = section.number("minimum_keep_days", 1, 1, MAX_DAYS);
        long defaultKeep = keepDays(section, "the default keep_days", minimum);
        Duration every = SettingValues.duration(section, "prune_every", Duration.ofHours(24), Duration.ofSeconds(10),
                Duration.ofDays(30));
        int batch = (int) section.number("batch", 100, 1, 10_000);
        List<RetentionRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode r : section.list("rules")) {
            r.allowOnly(RULE_KEYS);
            String name = r.text("name");
            if (!names.add(name)) {
                throw r.require("name").error("name: the rule '" + name + "' is given twice");
            }
            if (r.get("keep_days").isEmpty()) {
                throw r.error("rule '" + name + "': missing keep_days (a number of days, or forever)");
            }
            long keep = keepDays(r, "keep_days of the rule '" + name + "'", minimum);
            try {
                rules.add(new RetentionRule(name, match(r), tags(r), keep));
            } catch (IllegalArgumentException e) {
                throw r.error("rule '" + name + "': " + e.getMessage());
            }
        }
        return new RetentionSettings(defaultKeep, minimum, every, batch, rules);
    }

    /** No pruning at all (no {@code retention} section). */
    public static RetentionSettings none() {
        return new RetentionSettings(Keep.FOREVER, 1, Duration.ofHours(24), 100, List.of());
    }

    /**
     * The keep time of a session: the longest among the rules that match it (the first such rule in the file
     * names it), else the default.
     */
    public Keep keepFor(PruneCandidate s) {
        Keep best = null;
        for (RetentionRule r : rules) {
            if (r.matches(s) && (best == null || r.keepDays() > best.days())) {
                best = new Keep(r.keepDays(), "rule " + r.name());
            }
        }
        return best != null ? best : new Keep(defaultKeepDays, "default");
    }

    /** Whether some session may ever be pruned (else the job need not run). */
    public boolean prunes() {
        return shortestKeepDays() != Keep.FOREVER;
    }

    /** The shortest keep time of any policy: no session that ended more recently can be due. */
    public long shortestKeepDays() {
        long shortest = defaultKeepDays;
        for (RetentionRule r : rules) {
            shortest = Math.min(shortest, r.keepDays());
        }
        return shortest;
    }

    public long minimumKeepDays() {
        return minimumKeepDays;
    }

    public Duration pruneEvery() {
        return pruneEvery;
    }

    public int batch() {
        return batch;
    }

    /** keep_days under {@code node}: a number of days not below the floor, or {@code forever} (also when absent). */
    private static long keepDays(ConfigNode node, String what, long minimum) {
        if (node.get("keep_days").isEmpty() || node.text("keep_days").equals("forever")) {
            return Keep.FOREVER;
        }
        long days = node.number("keep_days", Keep.FOREVER, 1, MAX_DAYS);
        if (days < minimum) {
            throw node.require("keep_days").error(what + " is " + days + " days, below minimum_keep_days ("
                    + minimum + "): compliance requires keeping every session at least " + minimum + " days");
        }
        return days;
    }

    private static PolicyMatch match(ConfigNode rule) {
        if (rule.get("match").isEmpty()) {
            return null;
        }
        ConfigNode m = rule.mapping("match").allowOnly(MATCH_KEYS);
        return new PolicyMatch(m.texts("users"), m.texts("groups"), m.texts("hosts"));
    }

    /** The {@code tags} list: each {@code NAME:VALUE} (the value may hold colons). */
    private static Map<String, String> tags(ConfigNode rule) {
        Map<String, String> tags = new TreeMap<>();
        for (String t : rule.texts("tags")) {
            int colon = t.indexOf(':');
            if (colon <= 0) {
                throw rule.require("tags").error("tags: expected NAME:VALUE (env:prod), not '" + t + "'");
            }
            if (tags.put(t.substring(0, colon), t.substring(colon + 1)) != null) {
                throw rule.require("tags").error("tags: " + t.substring(0, colon) + " is given twice");
            }
        }
        return tags;
    }
}
