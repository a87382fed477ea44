package org.ttyaudit.server.alert;

import org.ttyaudit.core.model.SessionId;
import org.ttyaudit.core.rules.RuleAction;
import org.ttyaudit.core.rules.RuleMatch;
import org.ttyaudit.server.ledger.Ledger;
import org.ttyaudit.server.notify.AlertNotice;
import org.ttyaudit.server.store.AlertRecord;
import org.ttyaudit.server.store.SessionRecord;
import org.ttyaudit.server.store.WriteTransaction;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Carries out a rule match inside the caller's store transaction, so that everything it does commits together
 * or not at all: the alert row and its ledger leaf ({@code alert}); one queued notification per target
 * ({@code notify}: the transactional outbox, delivered by the notification dispatcher); and the request that
 * the session's recorder end it ({@code terminate}: the reason reaches the recorder with its next commit
 * point). Every match is stored as an alert, whatever its actions, because a notification or a termination
 * without a record of why would be unaccountable. Thread-safe (stateless apart from its collaborators).
 */
public final class AlertWriter {
    private final Ledger ledger;
    private final Clock clock;
    private final Supplier<String> serverUrl;

    /** @param serverUrl the server's public URL (links in notifications lead to the session in the web UI) */
    public AlertWriter(Ledger ledger, Clock clock, Supplier<String> serverUrl) {
        this.ledger = ledger;
        this.clock = clock;
        this.serverUrl = serverUrl;
    }

    /** Writes the match's alert and actions into {@code tx} and returns the alert as stored. */
    public AlertRecord write(WriteTransaction tx, SessionRecord session, RuleMatch match) {
        Instant at = session.header().startedAt().plus(match.offsetMicros(), ChronoUnit.MICROS);
        AlertRecord unplaced = new AlertRecord(SessionId.newId(clock).uuid(), session.id(),
                at.truncatedTo(ChronoUnit.MICROS), match.offsetMicros(), match.commandId(), match.rule().name(),
                match.rule().severity().jsonName(), match.rule().description(), match.trigger(), match.matched(),
                actionNames(match.rule().actions()), -1);
        AlertRecord alert = unplaced.atLedgerIndex(ledger.append(tx, AlertLeaf.entry(unplaced)));
        tx.insertAlert(alert);
        String notice = null;
        for (RuleAction a : match.rule().actions()) {
            if (a instanceof RuleAction.Terminate terminate && !session.ended()) {
                tx.requestTermination(session.id(), terminationReason(match, terminate.message()));
            } else if (a instanceof RuleAction.Notify notify) {
                notice = notice != null ? notice : notice(session, alert).toJson();
                for (String target : notify.targets()) {
                    tx.enqueueNotification(target, notice, clock.instant());
                }
            }
        }
        return alert;
    }

    /** The actions as the alert records them: {@code alert}, {@code notify:TARGET}, {@code terminate}. */
    public static List<String> actionNames(List<RuleAction> actions) {
        List<String> names = new ArrayList<>();
        for (RuleAction a : actions) {
            if (a instanceof RuleAction.Notify notify) {
                notify.targets().forEach(t -> names.add("notify:" + t));
            } else if (a instanceof RuleAction.Terminate) {
                names.add("terminate");
            } else {
                names.add("alert");
            }
        }
        return names;
    }

    /** What the user is shown when the recorder ends the session. */
    static String terminationReason(RuleMatch match, String message) {
        String text = message == null || message.isBlank() ? match.rule().description() : message;
        return text + " (rule " + match.rule().name() + ")";
    }

    private AlertNotice notice(SessionRecord session, AlertRecord alert) {
        String base = serverUrl.get();
        String link = base == null ? null : base.replaceAll("/+$", "") + "/#/sessions/" + session.id() + "?t="
                + Math.max(0, alert.offsetMicros() / 1_000_000.0 - 1);
        return new AlertNotice(alert.id(), alert.rule(), alert.severity(), alert.description(), alert.trigger(),
                alert.matched(), session.id(), session.header().user(), session.header().host(),
                session.header().clientAddress(), alert.at(), link);
    }
}
