package org.ttyaudit.core.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Which gateway user may reach which target, as which remote user, and which forwards they may open: the
 * {@code gateway:} section of a configuration file (the audit server's, or a standalone gateway's):
 * <pre>
 * gateway:
 *   targets:
 *     web1: {address: 10.0.0.5, port: 22}
 *     db1:  {address: db1.internal}          # port 22
 *   groups:                                  # optional: group name → members
 *     ops: [alice, bob]
 *   rules:
 *     - users: [alice]                       # and/or groups: [ops]; the rule applies when either matches
 *       targets: [web1, db1]                 # or ["*"]: every target
 *       remote_users: ["${user}", deploy]    # default ["${user}"]: the gateway user's own name
 *       port_forwarding: [localhost:5432, "*:80"]   # default: none (see ForwardPattern)
 *       agent_forwarding: false              # default false
 * </pre>
 * Rules only allow (there is no deny); what no rule allows is refused. A user's groups are the ones the caller
 * passes (from the audit server, say) together with the ones this policy's {@code groups} list them in. When several
 * rules give a user the same target, their remote users are joined in rule order; the first is the default.
 *
 * <p>Immutable and thread-safe. {@link #load} throws {@link ConfigException} naming file, line and reason;
 * {@link #fromJson} throws {@link IllegalArgumentException}.
 */
public final class GatewayPolicy {
    /** Stands for the gateway user's own name in {@code remote_users}. */
    public static final String SELF = "${user}";
    public static final String ALL_TARGETS = "*";
    public static final int DEFAULT_PORT = 22;

    private static final Pattern TARGET_NAME = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._:-]{0,252}");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._@-]{0,63}");
    private static final Set<String> SECTION_KEYS = Set.of("targets", "groups", "rules");
    private static final Set<String> TARGET_KEYS = Set.of("address", "port");
    private static final Set<String> RULE_KEYS = Set.of("users", "groups", "targets", "remote_users",
            "port_forwarding", "agent_forwarding");

    /** A host the gateway may open SSH connections to, by the name users ask for. */
    public record Target(String name, String address, int port) {
        public Target {
            if (name == null || !TARGET_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("bad target name " + quoted(name) + ": letters, digits, '.',"
                        + " '_', ':' and '-', not starting with '-' or ':'");
            }
            if (address == null || !ADDRESS.matcher(address).matches()) {
                throw new IllegalArgumentException("target " + name + ": bad address " + quoted(address)
                        + " (a host name or IP address)");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("target " + name + ": port " + port + " is outside 1..65535");
            }
        }
    }

    /** A target a user may reach and the remote users allowed there, the default first. */
    public record TargetAccess(Target target, List<String> remoteUsers) {
        public TargetAccess {
            Objects.requireNonNull(target, "target");
            remoteUsers = List.copyOf(remoteUsers);
            if (remoteUsers.isEmpty()) {
                throw new IllegalArgumentException("access to " + target.name() + " without a remote user");
            }
        }

        /** The remote user a login gets when it names none. */
        public String defaultRemoteUser() {
            return remoteUsers.get(0);
        }
    }

    /**
     * The answer to "may this user log in there as that remote user"; the reason says why in words fit for a log
     * (it names targets, so the gateway decides how much of it to show the user).
     */
    public record Decision(boolean allowed, String reason) {
        public Decision {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * One allow rule.
     *
     * @param targets target names, or just {@link #ALL_TARGETS}
     */
    public record Rule(Set<String> users, Set<String> groups, List<String> targets, List<String> remoteUsers,
                       List<ForwardPattern> portForwarding, boolean agentForwarding) {
        public Rule {
            users = Set.copyOf(new TreeSet<>(users));
            groups = Set.copyOf(new TreeSet<>(groups));
            targets = List.copyOf(new LinkedHashSet<>(targets));
            remoteUsers = remoteUsers.isEmpty() ? List.of(SELF) : List.copyOf(new LinkedHashSet<>(remoteUsers));
            portForwarding = List.copyOf(portForwarding);
            if (users.isEmpty() && groups.isEmpty()) {
                throw new IllegalArgumentException("a rule needs users or groups (whom it allows)");
            }
            for (String u : users) {
                checkName(u, "users");
            }
            for (String g : groups) {
                checkName(g, "groups");
            }
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("a rule needs targets (names, or \"*\" for all)");
            }
            if (targets.contains(ALL_TARGETS) && targets.size() > 1) {
                throw new IllegalArgumentException("targets: \"*\" means every target; list no others with it");
            }
            for (String r : remoteUsers) {
                if (!r.equals(SELF)) {
                    checkName(r, "remote_users");
                }
            }
        }

        boolean appliesTo(String user, Set<String> userGroups) {
            if (users.contains(user)) {
                return true;
            }
            for (String g : groups) {
                if (userGroups.contains(g)) {
                    return true;
                }
            }
            return false;
        }

        boolean covers(String target) {
            return targets.contains(ALL_TARGETS) || targets.contains(target);
        }
    }

    private static final GatewayPolicy EMPTY = new GatewayPolicy(Map.of(), Map.of(), List.of());

    /** By name, sorted. */
    private final TreeMap<String, Target> targets;
    /** Group name → members, sorted. */
    private final TreeMap<String, Set<String>> groups;
    private final List<Rule> rules;

    private GatewayPolicy(Map<String, Target> targets, Map<String, Set<String>> groups, List<Rule> rules) {
        this.targets = new TreeMap<>(targets);
        this.groups = new TreeMap<>();
        groups.forEach((g, members) -> {
            checkName(g, "groups");
            members.forEach(m -> checkName(m, "members of group " + g));
            this.groups.put(g, Set.copyOf(new TreeSet<>(members)));
        });
        this.rules = List.copyOf(rules);
        for (Rule r : this.rules) {
            for (String t : r.targets()) {
                if (!t.equals(ALL_TARGETS) && !this.targets.containsKey(t)) {
                    throw new IllegalArgumentException(unknownTarget(t));
                }
            }
        }
    }

    /** Allows nothing: no targets, no rules. */
    public static GatewayPolicy empty() {
        return EMPTY;
    }

    /** A policy from its parts (for tests and tools; configuration goes through {@link #load}). */
    public static GatewayPolicy of(Collection<Target> targets, Map<String, ? extends Collection<String>> groups,
                                   List<Rule> rules) {
        Map<String, Target> byName = new TreeMap<>();
        for (Target t : targets) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("target " + t.name() + " is named twice");
            }
        }
        Map<String, Set<String>> g = new TreeMap<>();
        groups.forEach((k, v) -> g.put(k, Set.copyOf(v)));
        return new GatewayPolicy(byName, g, rules);
    }

    // ---- reading the configuration ------------------------------------------------------------------------------

    /**
     * Reads a {@code gateway:} section (an empty mapping: {@link #empty()}).
     *
     * @throws ConfigException naming file, line and what is wrong (an unknown key, a bad port, a rule naming a
     *                         target that is not defined, ...)
     */
    public static GatewayPolicy load(ConfigNode section) {
        Objects.requireNonNull(section, "section");
        if (!section.isMapping()) {
            throw section.error("gateway: expected a mapping (targets, groups, rules)");
        }
        section.allowOnly(SECTION_KEYS);
        Map<String, Target> targets = new TreeMap<>();
        ConfigNode targetsNode = section.mapping("targets");
        for (String name : targetsNode.keys()) {
            ConfigNode t = targetsNode.get(name).orElseThrow(() -> targetsNode.error("targets: " + name
                    + ": expected a mapping (address, port)"));
            if (!t.isMapping()) {
                throw t.error("targets: " + name + ": expected a mapping (address, port)");
            }
            t.allowOnly(TARGET_KEYS);
            String address = t.text("address");
            int port = (int) t.number("port", DEFAULT_PORT, 1, 65535);
            targets.put(name, checked(t, () -> new Target(name, address, port)));
        }
        Map<String, Set<String>> groups = new TreeMap<>();
        ConfigNode groupsNode = section.mapping("groups");
        for (String name : groupsNode.keys()) {
            List<String> members = groupsNode.texts(name);
            ConfigNode at = groupsNode.get(name).orElse(groupsNode);
            check(at, () -> checkName(name, "groups"));
            for (String m : members) {
                check(at, () -> checkName(m, "members of group " + name));
            }
            groups.put(name, Set.copyOf(members));
        }
        List<Rule> rules = new ArrayList<>();
        List<ConfigNode> ruleNodes = section.list("rules");
        for (int i = 0; i < ruleNodes.size(); i++) {
            ConfigNode r = ruleNodes.get(i);
            String where = "rules[" + (i + 1) + "]";
            if (!r.isMapping()) {
                throw r.error(where + ": expected a mapping (users, groups, targets, remote_users, ...)");
            }
            r.allowOnly(RULE_KEYS);
            List<String> ruleTargets = r.texts("targets");
            for (String t : ruleTargets) {
                if (!t.equals(ALL_TARGETS) && !targets.containsKey(t)) {
                    throw r.require("targets").error(where + ": " + unknownTarget(t) + " (defined: "
                            + (targets.isEmpty() ? "none" : String.join(", ", targets.keySet())) + ")");
                }
            }
            List<ForwardPattern> forwards = new ArrayList<>();
            for (String f : r.texts("port_forwarding")) {
                forwards.add(checked(r.require("port_forwarding"), () -> ForwardPattern.parse(f)));
            }
            boolean agent = r.bool("agent_forwarding", false);
            rules.add(checked(r, () -> new Rule(Set.copyOf(r.texts("users")), Set.copyOf(r.texts("groups")),
                    ruleTargets, r.texts("remote_users"), forwards, agent), where));
        }
        return checked(section, () -> new GatewayPolicy(targets, groups, rules));
    }

    // ---- answers --------------------------------------------------------------------------------------------------

    public Optional<Target> target(String name) {
        return Optional.ofNullable(name == null ? null : targets.get(name));
    }

    /** Every target, sorted by name. */
    public List<Target> targets() {
        return List.copyOf(targets.values());
    }

    /** The groups this policy's {@code groups} list {@code user} in, sorted. */
    public Set<String> groupsOf(String user) {
        Set<String> out = new TreeSet<>();
        groups.forEach((g, members) -> {
            if (members.contains(user)) {
                out.add(g);
            }
        });
        return out;
    }

    /** The rules, in order. */
    public List<Rule> rules() {
        return rules;
    }

    /** The group table (group → members), sorted. */
    public Map<String, Set<String>> groups() {
        return java.util.Collections.unmodifiableMap(groups);
    }

    /** The targets {@code user} (a member of {@code userGroups}) may reach, sorted by target name. */
    public List<TargetAccess> reachable(String user, Set<String> userGroups) {
        List<TargetAccess> out = new ArrayList<>();
        for (Target t : targets.values()) {
            access(user, userGroups, t.name()).ifPresent(out::add);
        }
        return out;
    }

    /** Whether and as whom {@code user} may reach {@code target}; empty when no rule allows it (or no such target). */
    public Optional<TargetAccess> access(String user, Set<String> userGroups, String target) {
        Target t = target == null ? null : targets.get(target);
        if (t == null || user == null) {
            return Optional.empty();
        }
        Set<String> remote = new LinkedHashSet<>();
        for (Rule r : applicable(user, userGroups, target)) {
            for (String ru : r.remoteUsers()) {
                remote.add(ru.equals(SELF) ? user : ru);
            }
        }
        return remote.isEmpty() ? Optional.empty() : Optional.of(new TargetAccess(t, List.copyOf(remote)));
    }

    /**
     * Whether {@code user} may log in to {@code target} as {@code remoteUser} (null: as the default remote user).
     */
    public Decision decide(String user, Set<String> userGroups, String target, String remoteUser) {
        if (target == null || !targets.containsKey(target)) {
            return new Decision(false, unknownTarget(target));
        }
        Optional<TargetAccess> access = access(user, userGroups, target);
        if (access.isEmpty()) {
            return new Decision(false, "no rule lets " + user + " reach " + target);
        }
        List<String> allowed = access.get().remoteUsers();
        String as = remoteUser == null ? allowed.get(0) : remoteUser;
        if (!allowed.contains(as)) {
            return new Decision(false, user + " may not log in to " + target + " as " + as + " (allowed: "
                    + String.join(", ", allowed) + ")");
        }
        return new Decision(true, user + " may log in to " + target + " as " + as);
    }

    /** Whether {@code user} may forward to {@code host:port} (as the target sees it) through {@code target}. */
    public boolean portForwardAllowed(String user, Set<String> userGroups, String target, String host, int port) {
        if (target == null || !targets.containsKey(target)) {
            return false;
        }
        for (Rule r : applicable(user, userGroups, target)) {
            for (ForwardPattern p : r.portForwarding()) {
                if (p.matches(host, port)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code user} may forward their SSH agent to {@code target}. */
    public boolean agentForwardingAllowed(String user, Set<String> userGroups, String target) {
        if (target == null || !targets.containsKey(target)) {
            return false;
        }
        return applicable(user, userGroups, target).stream().anyMatch(Rule::agentForwarding);
    }

    private List<Rule> applicable(String user, Set<String> userGroups, String target) {
        if (user == null) {
            return List.of();
        }
        Set<String> all = new TreeSet<>(groupsOf(user));
        if (userGroups != null) {
            all.addAll(userGroups);
        }
        return rules.stream().filter(r -> r.appliesTo(user, all) && r.covers(target)).toList();
    }

    // ---- the wire form ------------------------------------------------------------------------------------------

    /**
     * The policy as JSON, shaped like the YAML section: {@code {"targets": {"web1": {"address": ..., "port": 22}},
     * "groups": {"ops": ["alice"]}, "rules": [{"users": [...], "groups": [...], "targets": [...],
     * "remote_users": [...], "port_forwarding": ["localhost:5432"], "agent_forwarding": false}]}}.
     */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode ts = root.putObject("targets");
        targets.values().forEach(t -> ts.putObject(t.name()).put("address", t.address()).put("port", t.port()));
        ObjectNode gs = root.putObject("groups");
        groups.forEach((g, members) -> strings(gs.putArray(g), new TreeSet<>(members)));
        ArrayNode rs = root.putArray("rules");
        for (Rule r : rules) {
            ObjectNode n = rs.addObject();
            strings(n.putArray("users"), new TreeSet<>(r.users()));
            strings(n.putArray("groups"), new TreeSet<>(r.groups()));
            strings(n.putArray("targets"), r.targets());
            strings(n.putArray("remote_users"), r.remoteUsers());
            strings(n.putArray("port_forwarding"), r.portForwarding().stream().map(ForwardPattern::toString).toList());
            n.put("agent_forwarding", r.agentForwarding());
        }
        return root;
    }

    /**
     * Reads what {@link #toJson()} writes; missing lists are empty, a missing port is 22.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static GatewayPolicy fromJson(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a gateway policy is a JSON object");
        }
        Map<String, Target> targets = new TreeMap<>();
        JsonNode ts = optionalObject(n, "targets");
        for (Iterator<Map.Entry<String, JsonNode>> it = ts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode t = e.getValue();
            if (!t.isObject() || !t.path("address").isTextual()) {
                throw new IllegalArgumentException("target " + e.getKey() + ": needs an address");
            }
            JsonNode port = t.get("port");
            if (port != null && !port.isIntegralNumber()) {
                throw new IllegalArgumentException("target " + e.getKey() + ": the port is not a whole number");
            }
            targets.put(e.getKey(), new Target(e.getKey(), t.get("address").textValue(),
                    port == null ? DEFAULT_PORT : port.asInt()));
        }
        Map<String, Set<String>> groups = new TreeMap<>();
        JsonNode gs = optionalObject(n, "groups");
        for (Iterator<Map.Entry<String, JsonNode>> it = gs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            groups.put(e.getKey(), Set.copyOf(strings(e.getValue(), "groups." + e.getKey())));
        }
        List<Rule> rules = new ArrayList<>();
        JsonNode rs = n.get("rules");
        if (rs != null && !rs.isNull()) {
            if (!rs.isArray()) {
                throw new IllegalArgumentException("rules: expected a list");
            }
            for (JsonNode r : rs) {
                if (!r.isObject()) {
                    throw new IllegalArgumentException("rules: every rule is an object");
                }
                JsonNode agent = r.get("agent_forwarding");
                if (agent != null && !agent.isBoolean() && !agent.isNull()) {
                    throw new IllegalArgumentException("agent_forwarding: expected true or false");
                }
                rules.add(new Rule(Set.copyOf(strings(r.get("users"), "users")),
                        Set.copyOf(strings(r.get("groups"), "groups")), strings(r.get("targets"), "targets"),
                        strings(r.get("remote_users"), "remote_users"),
                        strings(r.get("port_forwarding"), "port_forwarding").stream().map(ForwardPattern::parse)
                                .toList(),
                        agent != null && agent.asBoolean()));
            }
        }
        return new GatewayPolicy(targets, groups, rules);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GatewayPolicy p && targets.equals(p.targets) && groups.equals(p.groups)
                && rules.equals(p.rules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(targets, groups, rules);
    }

    @Override
    public String toString() {
        return "GatewayPolicy[" + targets.size() + " targets, " + groups.size() + " groups, " + rules.size()
                + " rules]";
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static void checkName(String name, String where) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": bad name " + quoted(name) + " (letters, digits, '.', '_',"
                    + " '@' and '-', at most 64)");
        }
    }

    private static String unknownTarget(String name) {
        return "no target named " + quoted(name);
    }

    private static String quoted(String s) {
        return s == null ? "null" : "'" + s + "'";
    }

    private static <T> T checked(ConfigNode at, Supplier<T> make) {
        return checked(at, make, null);
    }

    private static <T> T checked(ConfigNode at, Supplier<T> make, String where) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw at.error(where == null ? e.getMessage() : where + ": " + e.getMessage());
        }
    }

    private static void check(ConfigNode at, Runnable check) {
        checked(at, () -> {
            check.run();
            return null;
        });
    }

    private static JsonNode optionalObject(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException(field + ": expected an object");
        }
        return v;
    }

    private static List<String> strings(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(field + ": expected a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode s : v) {
            if (!s.isTextual()) {
                throw new IllegalArgumentException(field + ": expected a list of strings");
            }
            out.add(s.textValue());
        }
        return out;
    }

    private static void strings(ArrayNode into, Collection<String> values) {
        values.forEach(into::add);
    }
}
