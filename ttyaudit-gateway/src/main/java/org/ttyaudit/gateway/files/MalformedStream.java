package org.ttyaudit.gateway.files;

/** A stream a tap cannot follow; the message says what was wrong, for {@link FileEventSink#problem}. */
final class MalformedStream extends Exception {
    MalformedStream(String message) {
        super(message, null, false, false);
    }
}
