package org.ttyaudit.core.format;

import org.ttyaudit.core.model.Event;

/** Receives a session's events in order, each with its sequence number (position in the session's stream). */
@FunctionalInterface
public interface EventVisitor {
    void visit(long seq, Event event);
}
