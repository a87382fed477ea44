package org.ttyaudit.server.verify;

import org.ttyaudit.server.alert.AlertLeaf;
import org.ttyaudit.server.store.AlertFilter;
import org.ttyaudit.server.store.AlertQueries;
import org.ttyaudit.server.store.AlertRecord;
import org.ttyaudit.server.store.ListedAlert;
import org.ttyaudit.server.store.Page;

/**
 * Checks every alert, a page at a time, against its ledger leaf ({@link AlertLeaf}): an alert whose rule,
 * severity, time, matched text or actions were changed no longer matches. A deleted alert shows up in the
 * ledger pass, as a leaf no row accounts for. Not thread-safe.
 */
final class AlertCheck {
    private static final int PAGE = 500;

    private final AlertQueries alerts;
    private final LeafClaims claims;
    private long count;

    AlertCheck(AlertQueries alerts, LeafClaims claims) {
        this.alerts = alerts;
        this.claims = claims;
    }

    void run() {
        String cursor = null;
        do {
            Page<ListedAlert> page = alerts.list(AlertFilter.all(), cursor, PAGE);
            for (ListedAlert listed : page.items()) {
                AlertRecord a = listed.alert();
                count++;
                String who = "alert " + a.id() + " (rule " + Shown.text(a.rule()) + " on session " + a.sessionId()
                        + " at " + a.at() + ")";
                claims.claim(a.ledgerIndex(), AlertLeaf.entry(a), who, "the alert as stored hashes to");
            }
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    long count() {
        return count;
    }
}
