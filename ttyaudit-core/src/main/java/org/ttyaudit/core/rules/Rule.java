package org.ttyaudit.core.rules;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One rule of a rule file: its unique name ({@code [a-z0-9-]+}), what it is about, how serious a match is, what
 * the server does on a match, and when it matches: any of its {@code match} blocks (a rule file gives one block,
 * or a list of them). Immutable.
 */
public record Rule(String name, String description, Severity severity, List<RuleAction> actions,
                   List<Conditions> match) {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(severity, "severity");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rule name '" + name + "' must be 1-64 of a-z, 0-9 and -");
        }
        actions = List.copyOf(actions);
        if (actions.isEmpty()) {
            actions = List.of(new RuleAction.Alert());
        }
        match = List.copyOf(match);
        if (match.isEmpty()) {
            throw new IllegalArgumentException("rule '" + name + "' has no match conditions");
        }
    }

    /** Whether a match also ends the session. */
    public boolean terminates() {
        return actions.stream().anyMatch(a -> a instanceof RuleAction.Terminate);
    }
}
