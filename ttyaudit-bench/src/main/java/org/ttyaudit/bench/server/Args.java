package org.ttyaudit.bench.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} and {@code --flag} command-line options of the bench mains, with defaults and one-line
 * errors. Every option must be asked for once ({@link #unknown} names the rest), so a typo is never ignored.
 */
public final class Args {
    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> asked = new HashSet<>();

    public Args(String[] args, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + " (options are --name value)");
            }
            String name = a.substring(2);
            if (flags.contains(name)) {
                values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(args[++i]);
            }
        }
    }

    public String text(String name, String defaultValue) {
        asked.add(name);
        List<String> v = values.get(name);
        return v == null ? defaultValue : v.get(v.size() - 1);
    }

    public List<String> all(String name) {
        asked.add(name);
        return values.getOrDefault(name, List.of());
    }

    public int number(String name, int defaultValue) {
        String v = text(name, null);
        try {
            return v == null ? defaultValue : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": not a number: " + v);
        }
    }

    public boolean flag(String name) {
        return text(name, null) != null;
    }

    /** Options given but never asked for. */
    public List<String> unknown() {
        return values.keySet().stream().filter(k -> !asked.contains(k)).map(k -> "--" + k).sorted().toList();
    }
}
