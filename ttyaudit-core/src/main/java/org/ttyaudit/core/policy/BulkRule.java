package org.ttyaudit.core.policy;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What is kept of the output of bulk-transfer programs ({@code rsync}, {@code scp}, {@code tar}, {@code dd}, …):
 * while one of {@code programs} leads the terminal's foreground process group, the first {@code keepHead} bytes
 * of its output are stored, then the rest is dropped ({@link Then#DROP}) or sampled ({@link Then#SAMPLE}: the
 * first {@value #SAMPLE_BYTES} bytes of every {@value #SAMPLE_PERIOD} bytes). The command itself is always kept;
 * a marker says how much output was seen and kept.
 *
 * @param programs process names as the kernel reports them ({@code /proc/PID/comm}, at most 15 characters)
 */
public record BulkRule(Set<String> programs, long keepHead, Then then) {
    /** Bytes kept of each sampling period. */
    public static final int SAMPLE_BYTES = 1024;
    /** The sampling period, in bytes of output after the head. */
    public static final int SAMPLE_PERIOD = 64 * 1024;

    /** What happens to a bulk program's output after the head. */
    public enum Then {
        DROP, SAMPLE;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Then parse(String text) {
            for (Then t : values()) {
                if (t.configName().equalsIgnoreCase(text == null ? "" : text.trim())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown value '" + text + "' (expected drop or sample)");
        }
    }

    public BulkRule {
        programs = Set.copyOf(new TreeSet<>(programs));
        for (String p : programs) {
            if (p.isBlank() || p.contains("/") || p.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c))) {
                throw new IllegalArgumentException("'" + p + "' is not a program name (the name only: no path, no spaces)");
            }
        }
        if (keepHead < 0 || keepHead > ByteSize.MAX) {
            throw new IllegalArgumentException("keep_head must be between 0 and 1TiB, not " + keepHead);
        }
        if (then == null) {
            throw new IllegalArgumentException("then is missing");
        }
    }

    /**
     * Whether {@code processName} is one of the programs. The kernel truncates names to 15 bytes, so a longer
     * configured name matches its first 15 characters.
     */
    public boolean covers(String processName) {
        if (processName == null || processName.isEmpty()) {
            return false;
        }
        if (programs.contains(processName)) {
            return true;
        }
        if (processName.length() == 15) {
            for (String p : programs) {
                if (p.length() > 15 && p.startsWith(processName)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "keep_head " + ByteSize.format(keepHead) + " then " + then.configName();
    }
}
