package org.ttyaudit.core.policy;

/**
 * A limit on the output a recorder stores: a token bucket that fills at {@code bytesPerSecond} up to
 * {@code burstBytes}. Output beyond it is not stored (the user's terminal still gets all of it).
 *
 * @param bytesPerSecond the sustained rate, at least 1
 * @param burstBytes     how much may be stored at once above the rate (the bucket's size), at least 1
 */
public record OutputRate(long bytesPerSecond, long burstBytes) {
    public OutputRate {
        if (bytesPerSecond < 1 || bytesPerSecond > ByteSize.MAX) {
            throw new IllegalArgumentException("output_rate must be between 1 byte/s and 1TiB/s, not " + bytesPerSecond);
        }
        if (burstBytes < 1 || burstBytes > ByteSize.MAX) {
            throw new IllegalArgumentException("output_burst must be between 1 byte and 1TiB, not " + burstBytes);
        }
    }

    @Override
    public String toString() {
        return ByteSize.format(bytesPerSecond) + "/s, burst " + ByteSize.format(burstBytes);
    }
}
