package org.ttyaudit.core.rules;

import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;

import java.time.DayOfWeek;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a rule file (format: docs/RULES.md) from its {@link ConfigNode} tree. Every mistake — an unknown key, a bad
 * regex, glob, CIDR block, time or severity, a duplicate or unknown rule name, a rule with nothing to match — is a
 * {@link ConfigException} naming the file, the line and the reason. Stateless.
 */
final class RuleFileLoader {
    /** Longer patterns are refused: rules are short, and a huge pattern is a mistake or an attack. */
    static final int MAX_PATTERN = 1000;
    private static final Set<String> TOP_KEYS = Set.of("default_pack", "disable", "rules");
    private static final Set<String> RULE_KEYS = Set.of("name", "description", "severity", "match", "actions");
    private static final Set<String> MATCH_KEYS = Set.of("command", "command_glob", "program", "argv", "file",
            "output", "marker", "user", "group", "target_user", "host", "client", "time");
    private static final Set<String> FILE_KEYS = Set.of("path", "op");
    private static final Set<String> TIME_KEYS = Set.of("from", "to", "days", "zone");
    private static final Set<String> ACTION_KEYS = Set.of("alert", "notify", "terminate");
    private static final Map<String, DayOfWeek> DAYS = days();

    private RuleFileLoader() {
    }

    /**
     * The rules of the file {@code root}: its own, after the enabled rules of {@code pack} (null when the caller
     * does not want the default pack; the file's {@code default_pack: false} also leaves it out).
     */
    static List<Rule> rules(ConfigNode root, RuleSet pack) {
        root.allowOnly(TOP_KEYS);
        boolean usePack = pack != null && root.bool("default_pack", true);
        List<Rule> out = new ArrayList<>();
        Map<String, Integer> lines = new HashMap<>();
        List<ConfigNode> disable = items(root, "disable");
        if (!disable.isEmpty()) {
            RuleSet known = pack != null ? pack : RuleSet.defaultPack();
            for (ConfigNode n : disable) {
                String name = n.text();
                if (known.rules().stream().noneMatch(r -> r.name().equals(name))) {
                    throw n.error("disable: there is no default rule '" + name + "' (see docs/RULES.md)");
                }
            }
        }
        if (usePack) {
            Set<String> disabled = Set.copyOf(root.texts("disable"));   // validated above
            for (Rule r : pack.rules()) {
                if (!disabled.contains(r.name())) {
                    out.add(r);
                    lines.put(r.name(), 0);
                }
            }
        }
        for (ConfigNode n : root.list("rules")) {
            Rule r = rule(n);
            Integer first = lines.get(r.name());
            if (first != null) {
                throw n.require("name").error("duplicate rule name '" + r.name() + "' (" + (first == 0
                        ? "a default rule has it; add it to disable: to replace it" : "first at line " + first)
                        + ")");
            }
            lines.put(r.name(), n.require("name").line());
            out.add(r);
        }
        return out;
    }

    private static Rule rule(ConfigNode n) {
        if (!n.isMapping()) {
            throw n.error("rules: each rule must be a mapping with name, severity and match");
        }
        n.allowOnly(RULE_KEYS);
        String name = n.text("name");
        if (!Rule.NAME.matcher(name).matches()) {
            throw n.require("name").error("name: '" + name + "' must be 1-64 of a-z, 0-9 and - (starting with a "
                    + "letter or digit)");
        }
        Severity severity;
        try {
            severity = Severity.parse(n.text("severity"));
        } catch (IllegalArgumentException e) {
            throw n.require("severity").error("severity: " + e.getMessage());
        }
        ConfigNode match = n.require("match");
        List<Conditions> blocks = new ArrayList<>();
        if (match.isSequence()) {
            for (ConfigNode b : match.items()) {
                blocks.add(conditions(b));
            }
            if (blocks.isEmpty()) {
                throw match.error("match: the list is empty");
            }
        } else {
            blocks.add(conditions(match));
        }
        return new Rule(name, n.text("description", ""), severity, actions(n), blocks);
    }

    private static Conditions conditions(ConfigNode m) {
        if (!m.isMapping()) {
            throw m.error("match: expected conditions (key: value lines), or a list of such blocks");
        }
        m.allowOnly(MATCH_KEYS);
        if (m.keys().stream().allMatch(k -> m.get(k).isEmpty())) {
            throw m.error("match: no conditions (a rule that matches everything is a mistake)");
        }
        FileCondition file = m.get("file").map(RuleFileLoader::file).orElse(null);
        Pattern argv = m.get("argv").map(n -> regex(n, "argv")).orElse(null);
        try {
            return new Conditions(list(m, "command", n -> regex(n, "command")),
                    list(m, "command_glob", n -> glob(n, "command_glob", false)),
                    list(m, "program", n -> glob(n, "program", n.text().contains("/"))), argv, file,
                    list(m, "output", n -> regex(n, "output")), list(m, "marker", n -> glob(n, "marker", false)),
                    list(m, "user", n -> glob(n, "user", false)), list(m, "group", n -> glob(n, "group", false)),
                    list(m, "target_user", n -> glob(n, "target_user", false)),
                    list(m, "host", n -> glob(n, "host", false)), list(m, "client", RuleFileLoader::address),
                    m.get("time").map(RuleFileLoader::time).orElse(null));
        } catch (IllegalArgumentException e) {
            throw m.error("match: " + e.getMessage());
        }
    }

    private static <T> List<T> list(ConfigNode m, String key, Function<ConfigNode, T> parse) {
        List<T> out = new ArrayList<>();
        for (ConfigNode n : items(m, key)) {
            out.add(parse.apply(n));
        }
        return out;
    }

    /** The scalar items under {@code key}: one scalar, or a list of scalars; each keeps its own line. */
    private static List<ConfigNode> items(ConfigNode m, String key) {
        Optional<ConfigNode> n = m.get(key);
        if (n.isEmpty()) {
            return List.of();
        }
        if (n.get().isScalar()) {
            return List.of(n.get());
        }
        if (!n.get().isSequence()) {
            throw n.get().error(key + ": expected a value or a list of values");
        }
        for (ConfigNode item : n.get().items()) {
            if (!item.isScalar()) {
                throw item.error(key + ": every item must be a single value");
            }
        }
        if (n.get().items().isEmpty()) {
            throw n.get().error(key + ": the list is empty");
        }
        return n.get().items();
    }

    private static Pattern regex(ConfigNode n, String key) {
        String text = n.text();
        if (text.length() > MAX_PATTERN) {
            throw n.error(key + ": the regex is longer than " + MAX_PATTERN + " characters");
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw n.error(key + ": bad regex '" + text + "': " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    private static Glob glob(ConfigNode n, String key, boolean path) {
        String text = n.text();
        if (text.isEmpty() || text.length() > MAX_PATTERN) {
            throw n.error(key + ": a pattern must have 1 to " + MAX_PATTERN + " characters");
        }
        try {
            return Glob.of(text, path);
        } catch (IllegalArgumentException e) {
            throw n.error(key + ": bad pattern '" + text + "': " + e.getMessage());
        }
    }

    private static AddressPattern address(ConfigNode n) {
        try {
            return AddressPattern.of(n.text());
        } catch (IllegalArgumentException e) {
            throw n.error("client: " + e.getMessage());
        }
    }

    private static FileCondition file(ConfigNode n) {
        ConfigNode paths;
        String op = "any";
        if (n.isMapping()) {
            n.allowOnly(FILE_KEYS);
            paths = n;
            op = n.choice("op", "any", FileCondition.OPS);
        } else {
            paths = null;
        }
        List<ConfigNode> items = paths != null ? items(paths, "path") : n.isScalar() ? List.of(n) : n.items();
        if (items.isEmpty()) {
            throw n.error("file: give path (a path pattern or a list of them)");
        }
        List<Glob> globs = new ArrayList<>();
        for (ConfigNode item : items) {
            try {
                globs.addAll(FileCondition.compile(item.text()));
            } catch (IllegalArgumentException e) {
                throw item.error("file: bad path pattern: " + e.getMessage());
            }
        }
        return new FileCondition(globs, op);
    }

    private static TimeWindow time(ConfigNode n) {
        if (!n.isMapping()) {
            throw n.error("time: expected from, to, days and/or zone");
        }
        n.allowOnly(TIME_KEYS);
        LocalTime from = n.get("from").map(t -> clock(t, "from")).orElse(null);
        LocalTime to = n.get("to").map(t -> clock(t, "to")).orElse(null);
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (ConfigNode d : items(n, "days")) {
            DayOfWeek day = DAYS.get(d.text().toLowerCase(Locale.ROOT));
            if (day == null) {
                throw d.error("days: unknown day '" + d.text() + "' (expected mon, tue, wed, thu, fri, sat, sun)");
            }
            days.add(day);
        }
        ZoneId zone = ZoneOffset.UTC;
        if (n.get("zone").isPresent()) {
            try {
                zone = ZoneId.of(n.text("zone"));
            } catch (DateTimeException e) {
                throw n.require("zone").error("zone: unknown time zone '" + n.text("zone") + "' (e.g. UTC, "
                        + "Europe/Berlin, +02:00)");
            }
        }
        if (from == null && to == null && days.isEmpty()) {
            throw n.error("time: give from and to, or days, or both");
        }
        try {
            return new TimeWindow(from, to, days, zone);
        } catch (IllegalArgumentException e) {
            throw n.error("time: " + e.getMessage());
        }
    }

    private static LocalTime clock(ConfigNode n, String key) {
        String t = n.text();
        if (!t.matches("\\d{1,2}:\\d{2}")) {
            throw n.error(key + ": expected a time of day as HH:MM, not '" + t + "'");
        }
        try {
            return LocalTime.parse(t.length() == 4 ? "0" + t : t);
        } catch (DateTimeParseException e) {
            throw n.error(key + ": '" + t + "' is not a time of day (00:00 to 23:59)");
        }
    }

    private static List<RuleAction> actions(ConfigNode rule) {
        List<RuleAction> out = new ArrayList<>();
        for (ConfigNode a : rule.list("actions")) {
            if (a.isScalar()) {
                switch (a.text()) {
                    case "alert" -> out.add(new RuleAction.Alert());
                    case "notify", "terminate" -> throw a.error("actions: " + a.text() + " needs "
                            + (a.text().equals("notify") ? "targets: {notify: [target, ...]}"
                            : "a message for the user: {terminate: \"why\"}"));
                    default -> throw a.error("actions: unknown action '" + a.text()
                            + "' (expected alert, {notify: [targets]} or {terminate: message})");
                }
                continue;
            }
            if (!a.isMapping() || a.keys().size() != 1) {
                throw a.error("actions: each action is alert, {notify: [targets]} or {terminate: message}");
            }
            a.allowOnly(ACTION_KEYS);
            String kind = a.keys().iterator().next();
            switch (kind) {
                case "notify" -> {
                    List<String> targets = new ArrayList<>();
                    for (ConfigNode t : items(a, "notify")) {
                        if (!t.text().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                            throw t.error("notify: '" + t.text() + "' is not a target name (letters, digits, . _ -)");
                        }
                        targets.add(t.text());
                    }
                    if (targets.isEmpty()) {
                        throw a.error("notify: name at least one target");
                    }
                    out.add(new RuleAction.Notify(targets));
                }
                case "terminate" -> {
                    String message = a.text("terminate");
                    if (message.isBlank() || message.length() > 500) {
                        throw a.require("terminate").error("terminate: the message must have 1 to 500 characters");
                    }
                    out.add(new RuleAction.Terminate(message));
                }
                default -> out.add(new RuleAction.Alert());
            }
        }
        if (rule.get("actions").isPresent() && out.isEmpty()) {
            throw rule.require("actions").error("actions: the list is empty (leave it out for [alert])");
        }
        return out;
    }

    private static Map<String, DayOfWeek> days() {
        Map<String, DayOfWeek> m = new HashMap<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            m.put(full, d);
            m.put(full.substring(0, 3), d);
        }
        return Map.copyOf(m);
    }
}
