package org.ttyaudit.server.notify;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reading failures of a delivery for logs and backoff; shared by notifications and forwarding. Stateless. */
public final class DeliveryFailures {
    private DeliveryFailures() {
    }

    /**
     * What an HTTP answer's {@code Retry-After} asks for (seconds or an HTTP date, RFC 9110), measured from
     * {@code clock}'s now; empty when absent or not a value RFC 9110 allows.
     */
    public static Optional<Duration> retryAfter(HttpResponse<?> response, Clock clock) {
        Optional<String> value = response.headers().firstValue("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.get())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Optional.of(Duration.between(clock.instant(), at.toInstant()));
            } catch (DateTimeParseException e2) {
                return Optional.empty();   // not a value RFC 9110 allows: our own backoff decides
            }
        }
    }

    /** An I/O error in a few words: the JDK's exception names are clearer than some of its messages. */
    public static String describe(IOException e) {
        String m = e.getMessage();
        Throwable cause = e.getCause();
        if ((m == null || m.isBlank()) && cause != null) {
            m = cause.getMessage();
        }
        String kind = (cause instanceof IOException && (e.getMessage() == null || e.getMessage().isBlank())
                ? cause : e).getClass().getSimpleName();
        return kind + (m == null || m.isBlank() ? "" : " (" + m + ")");
    }

}
