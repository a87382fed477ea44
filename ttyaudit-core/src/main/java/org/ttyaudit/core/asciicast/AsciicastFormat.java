package org.ttyaudit.core.asciicast;

/**
 * The asciicast versions ttyaudit writes and reads. The {@linkplain #cliName() CLI name} is what
 * {@code ttyaudit export --format} accepts.
 */
public enum AsciicastFormat {
    /** asciinema 2.x: header with width/height, event times in seconds since the start. */
    V2("asciicast-v2", 2),
    /** asciinema 3.x: header with a {@code term} object, event times as intervals since the previous event. */
    V3("asciicast-v3", 3);

    private final String cliName;
    private final int version;

    AsciicastFormat(String cliName, int version) {
        this.cliName = cliName;
        this.version = version;
    }

    public String cliName() {
        return cliName;
    }

    /** The number in the header's {@code version} field. */
    public int version() {
        return version;
    }

    /**
     * The format with this CLI name.
     *
     * @throws IllegalArgumentException naming the accepted values, fit to show a user as is
     */
    public static AsciicastFormat fromCliName(String name) {
        for (AsciicastFormat f : values()) {
            if (f.cliName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "' (expected asciicast-v2 or asciicast-v3)");
    }

    static AsciicastFormat fromVersion(int version) {
        for (AsciicastFormat f : values()) {
            if (f.version == version) {
                return f;
            }
        }
        return null;
    }
}
