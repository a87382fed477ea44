package org.ttyaudit.core.rules;

import java.util.Locale;

/** How serious a rule's match is, from {@code info} to {@code critical}; ordered, so severities compare. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    /** The name in rule files, JSON and the UI: {@code info} … {@code critical}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The severity named {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the text and the allowed names
     */
    public static Severity parse(String text) {
        for (Severity s : values()) {
            if (s.jsonName().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown severity '" + text + "' (expected one of info, low, medium, "
                + "high, critical)");
    }
}
