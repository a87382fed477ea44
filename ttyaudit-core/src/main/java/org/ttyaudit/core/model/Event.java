package org.ttyaudit.core.model;

/**
 * One entry of a session's ordered event stream.
 *
 * <p>Every event carries its time as microseconds since the session started ({@link SessionHeader#startedAt()}).
 * The sequence number of an event is its position in the stream; it is not stored in the event itself but
 * derived by the record format (a chunk knows the sequence number of its first event).
 *
 * <p>Events are immutable values. Byte arrays handed to an event must not be changed afterwards.
 */
public sealed interface Event
        permits OutputEvent, InputEvent, RedactedInputEvent, ResizeEvent, CommandStartEvent, CommandEndEvent,
                ExecEvent, MarkerEvent, FileEvent {

    /** Microseconds since the start of the session. Never negative; never decreases along a stream. */
    long offsetMicros();

    /** The name of this kind of event as it appears in JSON and in docs/FORMAT.md. */
    String kind();
}
