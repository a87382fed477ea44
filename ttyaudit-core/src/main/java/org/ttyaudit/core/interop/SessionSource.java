package org.ttyaudit.core.interop;

import java.io.Closeable;
import java.io.IOException;
import org.ttyaudit.core.model.Event;

/**
 * A foreign session log read as ttyaudit events, one at a time, so logs of any size stream through: the same
 * neutral shape for every format, which the importer writes through the ordinary record writer.
 *
 * <p>Events are {@code output}, {@code input}, {@code resize} and {@code marker} events, with offsets never
 * decreasing. Malformed input ends in an {@link ImportFormatException} naming the file and where in it; no other
 * exception escapes for bad input. Not thread-safe.
 */
public interface SessionSource extends Closeable {
    /** What the log says about the session; available as soon as the source is open. */
    SourceMetadata metadata();

    /** The next event, or null when the log is exhausted. */
    Event next() throws IOException;

    /** How the session ended; only after {@link #next()} returned null. */
    SourceEnd end();

    /** Bytes of the log read so far (compressed bytes for compressed files): what a progress bar shows. */
    long bytesRead();
}
