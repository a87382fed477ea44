package org.ttyaudit.core.config;

import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One value of a YAML configuration file (a mapping, a sequence, a scalar or null) with the file and line it
 * came from. The typed getters check what they read and throw a {@link ConfigException} that names the file,
 * the line and the key: configuration errors are found when the file is loaded, never later. Immutable.
 */
public final class ConfigNode {
    private enum Type { MAPPING, SEQUENCE, SCALAR, NULL }

    private final String source;
    private final int line;
    private final Type type;
    private final String scalar;
    private final Map<String, ConfigNode> entries;
    private final List<ConfigNode> items;
    /** This node as the top of a file: an error about the whole file (a key missing there) names no line. */
    ConfigNode asTopLevel() {
        return new ConfigNode(source, 0, 0, type, scalar, entries, items);
    }

    /** The line of this value's key when it is a mapping's value (0 otherwise): errors about the entry point there. */
    private final int keyLine;

    private ConfigNode(String source, int line, int keyLine, Type type, String scalar,
                       Map<String, ConfigNode> entries, List<ConfigNode> items) {
        this.source = source;
        this.line = line;
        this.keyLine = keyLine;
        this.type = type;
        this.scalar = scalar;
        this.entries = entries;
        this.items = items;
    }

    static ConfigNode emptyMapping(String source) {
        return new ConfigNode(source, 0, 0, Type.MAPPING, null, Map.of(), List.of());
    }

    static ConfigNode of(Node node, String source) {
        return of(node, source, 0);
    }

    private static ConfigNode of(Node node, String source, int keyLine) {
        int line = YamlConfig.lineOf(node);
        if (node instanceof MappingNode m) {
            Map<String, ConfigNode> entries = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode key)) {
                    throw new ConfigException(source, YamlConfig.lineOf(t.getKeyNode()), "a key must be plain text");
                }
                if (entries.containsKey(key.getValue())) {
                    throw new ConfigException(source, YamlConfig.lineOf(key), "duplicate key '" + key.getValue()
                            + "' (first at line " + entries.get(key.getValue()).keyLine + ")");
                }
                entries.put(key.getValue(), of(t.getValueNode(), source, YamlConfig.lineOf(key)));
            }
            return new ConfigNode(source, line, keyLine, Type.MAPPING, null, entries, List.of());
        }
        if (node instanceof SequenceNode s) {
            List<ConfigNode> items = new ArrayList<>();
            for (Node item : s.getValue()) {
                items.add(of(item, source));
            }
            return new ConfigNode(source, line, keyLine, Type.SEQUENCE, null, Map.of(), items);
        }
        ScalarNode s = (ScalarNode) node;
        boolean isNull = s.getScalarStyle() == ScalarStyle.PLAIN
                && (s.getValue().isEmpty() || s.getValue().equals("~") || s.getValue().equals("null"));
        return new ConfigNode(source, line, keyLine, isNull ? Type.NULL : Type.SCALAR, s.getValue(), Map.of(),
                List.of());
    }

    public String source() {
        return source;
    }

    /** The 1-based line where this value starts. */
    public int line() {
        return line;
    }

    public boolean isMapping() {
        return type == Type.MAPPING;
    }

    public boolean isSequence() {
        return type == Type.SEQUENCE;
    }

    public boolean isScalar() {
        return type == Type.SCALAR;
    }

    /** An empty value ({@code key:}, {@code ~} or {@code null}). */
    public boolean isNull() {
        return type == Type.NULL;
    }

    /** An error at this value's place. */
    public ConfigException error(String reason) {
        return new ConfigException(source, keyLine > 0 ? keyLine : line, reason);
    }

    /** The keys of this mapping, in file order. */
    public Set<String> keys() {
        requireMapping();
        return Collections.unmodifiableSet(entries.keySet());
    }

    /**
     * Refuses keys this mapping may not have, so a misspelt key is an error, not silently ignored.
     *
     * @throws ConfigException naming the first unknown key and the allowed ones
     */
    public ConfigNode allowOnly(Collection<String> allowed) {
        requireMapping();
        for (Map.Entry<String, ConfigNode> e : entries.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw e.getValue().error("unknown key '" + e.getKey() + "' (expected "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        }
        return this;
    }

    /** The value of {@code key}, absent when the key is missing or its value is empty. */
    public Optional<ConfigNode> get(String key) {
        requireMapping();
        ConfigNode n = entries.get(key);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n);
    }

    /** The value of {@code key}, which must be there. */
    public ConfigNode require(String key) {
        return get(key).orElseThrow(() -> error("missing '" + key + "'"));
    }

    /** The mapping under {@code key}, an empty mapping when absent. */
    public ConfigNode mapping(String key) {
        ConfigNode n = get(key).orElse(null);
        if (n == null) {
            return emptyMapping(source);
        }
        n.requireMapping();
        return n;
    }

    /** The items of the sequence under {@code key}; none when absent. */
    public List<ConfigNode> list(String key) {
        ConfigNode n = get(key).orElse(null);
        if (n == null) {
            return List.of();
        }
        if (!n.isSequence()) {
            throw n.error(key + ": expected a list");
        }
        return n.items;
    }

    /** The items of this sequence. */
    public List<ConfigNode> items() {
        if (!isSequence()) {
            throw error("expected a list");
        }
        return items;
    }

    /** This scalar's text. */
    public String text() {
        if (!isScalar()) {
            throw error("expected a single value, not " + describe());
        }
        return scalar;
    }

    /** The text under {@code key}, which must be there. */
    public String text(String key) {
        ConfigNode n = require(key);
        if (!n.isScalar()) {
            throw n.error(key + ": expected a single value, not " + n.describe());
        }
        return n.scalar;
    }

    /** The text under {@code key}, or {@code fallback} when absent. */
    public String text(String key, String fallback) {
        return get(key).isPresent() ? text(key) : fallback;
    }

    /**
     * A list of texts under {@code key}: a sequence of scalars, or one scalar (a list of one), so {@code user:
     * root} and {@code user: [root, admin]} both work. Empty when absent.
     */
    public List<String> texts(String key) {
        ConfigNode n = get(key).orElse(null);
        if (n == null) {
            return List.of();
        }
        if (n.isScalar()) {
            return List.of(n.scalar);
        }
        if (!n.isSequence()) {
            throw n.error(key + ": expected a value or a list of values");
        }
        List<String> out = new ArrayList<>();
        for (ConfigNode item : n.items) {
            if (!item.isScalar()) {
                throw item.error(key + ": every item must be a single value, not " + item.describe());
            }
            out.add(item.scalar);
        }
        return List.copyOf(out);
    }

    /** A boolean ({@code true}/{@code false}, also yes/no/on/off) under {@code key}, or {@code fallback}. */
    public boolean bool(String key, boolean fallback) {
        if (get(key).isEmpty()) {
            return fallback;
        }
        String t = text(key).toLowerCase(Locale.ROOT);
        return switch (t) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw require(key).error(key + ": expected true or false, not '" + text(key) + "'");
        };
    }

    /** A whole number under {@code key} within [{@code min}, {@code max}], or {@code fallback}. */
    public long number(String key, long fallback, long min, long max) {
        if (get(key).isEmpty()) {
            return fallback;
        }
        String t = text(key).replace("_", "");
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw require(key).error(key + ": expected a whole number, not '" + text(key) + "'");
        }
        if (v < min || v > max) {
            throw require(key).error(key + ": " + v + " is outside " + min + ".." + max);
        }
        return v;
    }

    /** One of {@code allowed} (case-insensitive, returned in lower case) under {@code key}, or {@code fallback}. */
    public String choice(String key, String fallback, Collection<String> allowed) {
        if (get(key).isEmpty()) {
            return fallback;
        }
        String t = text(key).toLowerCase(Locale.ROOT);
        if (!allowed.contains(t)) {
            throw require(key).error(key + ": unknown value '" + text(key) + "' (expected one of "
                    + String.join(", ", allowed) + ")");
        }
        return t;
    }

    private void requireMapping() {
        if (!isMapping()) {
            throw error("expected a mapping (key: value lines), not " + describe());
        }
    }

    private String describe() {
        return switch (type) {
            case MAPPING -> "a mapping";
            case SEQUENCE -> "a list";
            case SCALAR -> "'" + scalar + "'";
            case NULL -> "an empty value";
        };
    }
}
