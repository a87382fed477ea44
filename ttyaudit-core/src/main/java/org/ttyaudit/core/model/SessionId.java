package org.ttyaudit.core.model;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * A session's identity: a UUID version 7 (RFC 9562), so ids sort by creation time.
 */
public record SessionId(UUID uuid) implements Comparable<SessionId> {
    private static final SecureRandom RANDOM = new SecureRandom();

    public SessionId {
        Objects.requireNonNull(uuid, "uuid");
    }

    /** A new time-sortable id: 48 bits of Unix milliseconds, version 7, 74 random bits. */
    public static SessionId newId(Clock clock) {
        long millis = clock.millis();
        long randA = RANDOM.nextLong();
        long randB = RANDOM.nextLong();
        long msb = (millis << 16) | 0x7000L | (randA & 0x0FFFL);
        long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new SessionId(new UUID(msb, lsb));
    }

    public static SessionId parse(String text) {
        return new SessionId(UUID.fromString(text));
    }

    @Override
    public int compareTo(SessionId other) {
        int c = Long.compareUnsigned(uuid.getMostSignificantBits(), other.uuid.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(uuid.getLeastSignificantBits(), other.uuid.getLeastSignificantBits());
    }

    @Override
    public String toString() {
        return uuid.toString();
    }
}
