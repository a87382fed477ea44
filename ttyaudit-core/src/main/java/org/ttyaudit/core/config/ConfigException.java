package org.ttyaudit.core.config;

/**
 * A configuration file (server config, rule file) that cannot be used, naming the file, the line (1-based; 0 when
 * the problem is not at one place) and the reason: {@code rules.yaml:12: severity: unknown value 'hi' (expected
 * one of info, low, medium, high, critical)}.
 */
public final class ConfigException extends RuntimeException {
    private final String source;
    private final int line;
    private final String reason;

    public ConfigException(String source, int line, String reason) {
        super(source + (line > 0 ? ":" + line : "") + ": " + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    /** The file's name or path as the user gave it. */
    public String source() {
        return source;
    }

    /** The 1-based line of the problem, 0 when it is not at one place (the file is empty, unreadable). */
    public int line() {
        return line;
    }

    /** What is wrong, without the place. */
    public String reason() {
        return reason;
    }
}
