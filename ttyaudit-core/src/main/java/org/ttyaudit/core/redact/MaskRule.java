package org.ttyaudit.core.redact;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One named masking pattern: a Java regular expression and the part of its match that is secret.
 *
 * <p>When the expression has a capturing group named {@code secret}, only that group is masked (so
 * {@code --password=hunter2} keeps {@code --password=}); otherwise the whole match is masked.
 *
 * <p>{@code maxReach} is an upper bound on how many characters an attempt to match at one position may examine,
 * counted from that position (including look-ahead). Only {@link StreamMasker} uses it: it needs to know how far
 * back a match that is still incomplete can start. {@link #UNBOUNDED} means "up to the stream masker's window";
 * it is always correct but makes streaming slower for that rule. A value that is too small can let a secret that
 * is split across two pieces of a stream escape, so when in doubt leave it unbounded.
 *
 * <p>Immutable and thread-safe.
 */
public record MaskRule(String name, Pattern pattern, int maxReach) {
    /** {@link #maxReach()} for a rule whose matches have no known length bound. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    /** The name of the capturing group that marks the secret part of a match. */
    public static final String SECRET_GROUP = "secret";

    public MaskRule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pattern, "pattern");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("rule name must be 1-64 letters, digits, '.', '_' or '-' "
                    + "(starting with a letter or digit): '" + name + "'");
        }
        if (maxReach <= 0) {
            throw new IllegalArgumentException("maxReach must be positive: " + maxReach);
        }
    }

    /** A rule with no known bound on its match length. */
    public static MaskRule of(String name, String regex) {
        return new MaskRule(name, Pattern.compile(regex), UNBOUNDED);
    }

    /** Whether only the group named {@code secret} is masked (otherwise: the whole match). */
    public boolean hasSecretGroup() {
        // Pattern.namedGroups() is Java 20+; a named group can only be declared with this exact syntax.
        return pattern.pattern().contains("(?<" + SECRET_GROUP + ">");
    }
}
