package org.ttyaudit.core.rules;

import java.util.Objects;

/**
 * One firing of a rule in a session.
 *
 * @param trigger      what kind of thing matched: {@code command}, {@code exec}, {@code file}, {@code output},
 *                     {@code marker} or {@code session} (a context-only rule, at the start)
 * @param matched      the text that matched (a command line, an argv, a path, output text, a marker), at most
 *                     {@value #MAX_MATCHED} characters; raw recorded text, to be escaped before it is displayed
 * @param offsetMicros the time of the event that fired it, since the session started
 * @param commandId    the command it belongs to, null when it is not tied to a command
 */
public record RuleMatch(Rule rule, String trigger, String matched, long offsetMicros, Long commandId) {
    /** Longer matched texts are cut to this many characters. */
    public static final int MAX_MATCHED = 512;

    public RuleMatch {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(matched, "matched");
        if (matched.length() > MAX_MATCHED) {
            int end = MAX_MATCHED;
            if (Character.isHighSurrogate(matched.charAt(end - 1))) {
                end--;   // never cut a character in half
            }
            matched = matched.substring(0, end);
        }
    }
}
