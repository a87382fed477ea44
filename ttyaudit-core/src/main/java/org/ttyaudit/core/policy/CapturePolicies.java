package org.ttyaudit.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The capture policies of a server's (or root's) configuration, and which one a session gets. The
 * {@code capture:} section (docs/CAPTURE.md):
 * <pre>
 * capture:
 *   default: {mode: full, output_rate: 4MiB/s, output_burst: 64MiB}
 *   policies:                         # first match wins; then default
 *     - match: {users: [backup], groups: [dba], hosts: ['db-*']}
 *       mode: commands
 *   bulk:
 *     programs: [rsync, scp, sftp, tar, dd, pv, zcat]
 *     keep_head: 16KiB
 *     then: drop                      # drop | sample
 * </pre>
 * A policy that leaves out {@code mode}, {@code output_rate} or {@code output_burst} takes the default's;
 * {@code output_rate: off} turns the limit off. The bulk rule applies to every policy. Without a section the
 * {@linkplain #BUILT_IN built-in default} is in force: {@code full}, at most 4 MiB/s of output stored after a burst
 * of 64 MiB, no bulk rule.
 *
 * <p>Its JSON form ({@link #toJson()}) is what an enrolled SSH gateway fetches to resolve the policy of each
 * session it relays (docs/CAPTURE.md, "Sessions through the SSH gateway"):
 * <pre>
 * {"default": {CapturePolicy's JSON form},
 *  "policies": [{"match": {"users": ["backup"], "groups": [], "hosts": ["db-*"]}, "policy": {...}}]}
 * </pre>
 *
 * <p>Immutable and thread-safe. Every mistake is a {@link ConfigException} naming file, line and reason.
 */
public final class CapturePolicies {
    /** The sustained output stored per second when nothing else is configured. */
    public static final long DEFAULT_RATE = 4L << 20;
    /** The burst stored above the rate when nothing else is configured. */
    public static final long DEFAULT_BURST = 64L << 20;
    /**
     * Full capture; output limited to 4 MiB/s after a 64 MiB burst: far above anything a person reads or types
     * (a screenful is a few KiB, a {@code cat} of a large log passes its first 64 MiB whole), but a runaway
     * transfer can no longer fill the disk (at most about 14 GiB an hour instead of hundreds).
     */
    public static final CapturePolicy BUILT_IN = new CapturePolicy(CaptureMode.FULL,
            new OutputRate(DEFAULT_RATE, DEFAULT_BURST), null, "built-in default");

    private static final Set<String> SECTION_KEYS = Set.of("default", "policies", "bulk");
    private static final Set<String> SETTING_KEYS = Set.of("mode", "output_rate", "output_burst");
    private static final Set<String> POLICY_KEYS = Set.of("match", "mode", "output_rate", "output_burst");
    private static final Set<String> MATCH_KEYS = Set.of("users", "groups", "hosts");
    private static final Set<String> BULK_KEYS = Set.of("programs", "keep_head", "then");

    private record Entry(PolicyMatch match, CapturePolicy policy) {
    }

    private final List<Entry> entries;
    private final CapturePolicy fallback;

    private CapturePolicies(List<Entry> entries, CapturePolicy fallback) {
        this.entries = List.copyOf(entries);
        this.fallback = fallback;
    }

    /** No configuration: everyone gets {@link #BUILT_IN}. */
    public static CapturePolicies builtIn() {
        return new CapturePolicies(List.of(), BUILT_IN);
    }

    /**
     * Reads a {@code capture:} section (an empty mapping: the built-in default for everyone).
     *
     * @throws ConfigException naming file, line and reason
     */
    public static CapturePolicies parse(ConfigNode section) {
        Objects.requireNonNull(section, "section");
        if (!section.isMapping()) {
            throw section.error("capture: expected a mapping (default, policies, bulk), not a single value or list");
        }
        section.allowOnly(SECTION_KEYS);
        BulkRule bulk = bulk(section.mapping("bulk"));
        Optional<ConfigNode> defaultNode = section.get("default");
        CapturePolicy fallback;
        if (defaultNode.isPresent()) {
            ConfigNode d = mappingOf(defaultNode.get(), "default");
            d.allowOnly(SETTING_KEYS);
            fallback = settings(d, BUILT_IN, bulk, where(d));
        } else {
            fallback = new CapturePolicy(BUILT_IN.mode(), BUILT_IN.outputRate(), bulk, BUILT_IN.source());
        }
        List<Entry> entries = new ArrayList<>();
        for (ConfigNode p : section.list("policies")) {
            ConfigNode policy = mappingOf(p, "policies: every item");
            policy.allowOnly(POLICY_KEYS);
            ConfigNode m = mappingOf(policy.require("match"), "match");
            m.allowOnly(MATCH_KEYS);
            PolicyMatch match = checked(m, () -> new PolicyMatch(names(m, "users"), names(m, "groups"),
                    names(m, "hosts")));
            entries.add(new Entry(match, settings(policy, fallback, bulk, where(policy))));
        }
        return new CapturePolicies(entries, fallback);
    }

    /**
     * The policy of a session of {@code user}, a member of {@code groups}, on {@code host}: the first policy
     * whose match fits, else the default.
     */
    public CapturePolicy resolve(String user, List<String> groups, String host) {
        List<String> g = groups == null ? List.of() : groups;
        for (Entry e : entries) {
            if (e.match.matches(user, g, host)) {
                return e.policy;
            }
        }
        return fallback;
    }

    /** The policy for sessions no policy matches. */
    public CapturePolicy fallback() {
        return fallback;
    }

    /** How many policies (besides the default) there are. */
    public int size() {
        return entries.size();
    }

    /** The JSON form: the default, then each policy with its match, in order (see the class comment). */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("default", fallback.toJson());
        ArrayNode list = n.putArray("policies");
        for (Entry e : entries) {
            ObjectNode item = list.addObject();
            ObjectNode match = item.putObject("match");
            e.match.users().forEach(match.putArray("users")::add);
            e.match.groups().forEach(match.putArray("groups")::add);
            e.match.hosts().forEach(match.putArray("hosts")::add);
            item.set("policy", e.policy.toJson());
        }
        return n;
    }

    /**
     * Reads the JSON form.
     *
     * @throws IllegalArgumentException naming what is missing or wrong
     */
    public static CapturePolicies fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("capture policies must be a JSON object");
        }
        CapturePolicy fallback = CapturePolicy.fromJson(n.get("default"));
        JsonNode list = n.get("policies");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("policies must be an array");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode item : list) {
            JsonNode match = item.get("match");
            if (match == null || !match.isObject()) {
                throw new IllegalArgumentException("policies[" + entries.size() + "].match must be an object");
            }
            String at = "policies[" + entries.size() + "]";
            entries.add(new Entry(new PolicyMatch(jsonNames(match, "users", at), jsonNames(match, "groups", at),
                    jsonNames(match, "hosts", at)), CapturePolicy.fromJson(item.get("policy"))));
        }
        return new CapturePolicies(entries, fallback);
    }

    private static List<String> jsonNames(JsonNode match, String key, String at) {
        JsonNode v = match.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(at + ".match." + key + " must be an array of strings");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : v) {
            if (!name.isTextual()) {
                throw new IllegalArgumentException(at + ".match." + key + " must be an array of strings");
            }
            names.add(name.textValue());
        }
        return names;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturePolicies other && entries.equals(other.entries) && fallback.equals(other.fallback);
    }

    @Override
    public int hashCode() {
        return Objects.hash(entries, fallback);
    }

    private static CapturePolicy settings(ConfigNode n, CapturePolicy base, BulkRule bulk, String source) {
        CaptureMode mode = n.get("mode").isPresent()
                ? value(n, "mode", CaptureMode::parse) : base.mode();
        OutputRate rate = base.outputRate();
        Optional<ConfigNode> rateNode = n.get("output_rate");
        boolean off = rateNode.isPresent() && rateNode.get().isScalar()
                && Set.of("off", "false", "none", "0").contains(rateNode.get().text().trim().toLowerCase(Locale.ROOT));
        if (off) {
            if (n.get("output_burst").isPresent()) {
                throw n.require("output_burst").error("output_burst: there is no burst without an output_rate");
            }
            rate = null;
        } else if (rateNode.isPresent() || n.get("output_burst").isPresent()) {
            long perSecond = rateNode.isPresent() ? value(n, "output_rate", ByteSize::parseRate)
                    : base.outputRate() != null ? base.outputRate().bytesPerSecond() : DEFAULT_RATE;
            long burst = n.get("output_burst").isPresent() ? value(n, "output_burst", ByteSize::parse)
                    : base.outputRate() != null ? base.outputRate().burstBytes() : DEFAULT_BURST;
            rate = checked(n, () -> new OutputRate(perSecond, burst));
        }
        return new CapturePolicy(mode, rate, bulk, source);
    }

    private static BulkRule bulk(ConfigNode b) {
        b.allowOnly(BULK_KEYS);
        List<String> programs = names(b, "programs");
        if (programs.isEmpty()) {
            if (!b.keys().isEmpty()) {
                throw b.error("bulk: programs is missing or empty (name the programs whose output is cut)");
            }
            return null;
        }
        long head = b.get("keep_head").isPresent() ? value(b, "keep_head", ByteSize::parse) : 16 * 1024;
        BulkRule.Then then = b.get("then").isPresent() ? value(b, "then", BulkRule.Then::parse) : BulkRule.Then.DROP;
        return checked(b.require("programs"), () -> new BulkRule(new LinkedHashSet<>(programs), head, then));
    }

    private static List<String> names(ConfigNode n, String key) {
        List<String> names = n.texts(key);
        if (n.get(key).isPresent() && names.isEmpty()) {
            throw n.require(key).error(key + ": the list is empty");
        }
        return names;
    }

    private static ConfigNode mappingOf(ConfigNode n, String what) {
        if (!n.isMapping()) {
            throw n.error(what + ": expected a mapping (key: value)");
        }
        return n;
    }

    private static <T> T value(ConfigNode n, String key, Function<String, T> parser) {
        String text = n.text(key);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw n.require(key).error(key + ": " + e.getMessage());
        }
    }

    private static <T> T checked(ConfigNode at, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw at.error(e.getMessage());
        }
    }

    /** The file's name (not its path, which is the server's business) and the line. */
    private static String where(ConfigNode n) {
        java.nio.file.Path name = java.nio.file.Path.of(n.source()).getFileName();
        return (name == null ? n.source() : name.toString()) + ":" + n.line();
    }
}
