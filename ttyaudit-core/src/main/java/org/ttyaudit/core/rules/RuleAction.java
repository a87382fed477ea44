package org.ttyaudit.core.rules;

import java.util.List;
import java.util.Objects;

/**
 * What the server does when a rule matches. Every match is stored as an alert; {@link Notify} also sends it to
 * named notification targets (defined in the server's settings), and {@link Terminate} ends the session, showing
 * the user {@code message}.
 */
public sealed interface RuleAction permits RuleAction.Alert, RuleAction.Notify, RuleAction.Terminate {

    /** The action's name in rule files: {@code alert}, {@code notify} or {@code terminate}. */
    String kind();

    /** Store the match as an alert (shown in the UI and the session's timeline, counted in metrics). */
    record Alert() implements RuleAction {
        @Override
        public String kind() {
            return "alert";
        }
    }

    /** Send the alert to these notification targets (names from the server's {@code notify} settings). */
    record Notify(List<String> targets) implements RuleAction {
        public Notify {
            targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("notify needs at least one target");
            }
        }

        @Override
        public String kind() {
            return "notify";
        }
    }

    /** End the session; {@code message} tells the user why. */
    record Terminate(String message) implements RuleAction {
        public Terminate {
            Objects.requireNonNull(message, "message");
            if (message.isBlank()) {
                throw new IllegalArgumentException("terminate needs a message for the user");
            }
        }

        @Override
        public String kind() {
            return "terminate";
        }
    }
}
