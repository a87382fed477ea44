package org.ttyaudit.server.store;

import java.util.Objects;

/**
 * An alert as the alert list shows it: the alert and the user and host of its session, so that a list of alerts
 * across sessions says whose they are without a read of each session. user and host are null only when the
 * session's row is missing (a damaged store; the integrity check reports it). Immutable.
 */
public record ListedAlert(AlertRecord alert, String user, String host) {
    public ListedAlert {
        Objects.requireNonNull(alert, "alert");
    }
}
