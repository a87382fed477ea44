package org.ttyaudit.core.rules;

import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.YamlConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules in force: a rule file's rules and, unless turned off, the default pack. Build one with {@link #load},
 * {@link #parse}, {@link #defaultPack()} or {@link #of}; evaluate a session with {@link #forSession}. A rule file
 * with any mistake gives a {@link ConfigException} (file, line, reason) and no rule set, so a caller that reloads
 * keeps the previous one. Immutable and thread-safe.
 */
public final class RuleSet {
    /** The default pack's classpath resource (relative to this class). */
    static final String DEFAULT_PACK = "default-rules.yaml";

    private final List<Rule> rules;
    private final Set<String> notifyTargets;

    private RuleSet(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        Set<String> names = new HashSet<>();
        Set<String> targets = new LinkedHashSet<>();
        for (Rule r : this.rules) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("duplicate rule name '" + r.name() + "'");
            }
            for (RuleAction a : r.actions()) {
                if (a instanceof RuleAction.Notify n) {
                    targets.addAll(n.targets());
                }
            }
        }
        this.notifyTargets = Collections.unmodifiableSet(targets);
    }

    /** The built-in rules ({@code org/ttyaudit/core/rules/default-rules.yaml}, docs/RULES.md lists them). */
    public static RuleSet defaultPack() {
        return DefaultPack.PACK;
    }

    /**
     * Reads the rule file {@code file}; with {@code withDefaultPack} the default pack comes first (unless the file
     * says {@code default_pack: false}).
     *
     * @throws ConfigException on any mistake, naming file, line and reason
     */
    public static RuleSet load(Path file, boolean withDefaultPack) {
        return new RuleSet(RuleFileLoader.rules(YamlConfig.read(file), withDefaultPack ? defaultPack() : null));
    }

    /** {@link #load} of rule-file text; {@code source} names it in errors. */
    public static RuleSet parse(String yaml, String source, boolean withDefaultPack) {
        return new RuleSet(RuleFileLoader.rules(YamlConfig.parse(yaml, source),
                withDefaultPack ? defaultPack() : null));
    }

    /** These rules, as given. @throws IllegalArgumentException when two have the same name */
    public static RuleSet of(List<Rule> rules) {
        return new RuleSet(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Every notification target any rule's {@code notify} action names (the server checks that they exist). */
    public Set<String> notifyTargets() {
        return notifyTargets;
    }

    /** A fresh evaluator for one session; the rules whose user/group/host/client conditions fail are left out. */
    public SessionRules forSession(SessionFacts facts) {
        return new SessionRules(rules, facts);
    }

    /** Read once, on first use: the pack is part of the program and cannot change. */
    private static final class DefaultPack {
        static final RuleSet PACK = read();

        private static RuleSet read() {
            try (InputStream in = RuleSet.class.getResourceAsStream(DEFAULT_PACK)) {
                if (in == null) {
                    throw new IllegalStateException("the default rule pack " + DEFAULT_PACK + " is missing");
                }
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new RuleSet(RuleFileLoader.rules(YamlConfig.parse(text, DEFAULT_PACK), null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
