package org.ttyaudit.core.policy;

import java.util.Locale;

/**
 * What a recorder keeps of a session. Every mode keeps the metadata, the commands, programs run (exec events),
 * window sizes and markers; they differ in the terminal bytes kept. The recorder sees all bytes in every mode
 * (its command capture needs them); the mode decides only what is stored.
 */
public enum CaptureMode {
    /** Output and keystrokes (keystrokes at no-echo prompts are redacted). */
    FULL("full"),
    /** Output only; no keystrokes are stored. */
    OUTPUT("output"),
    /** Neither output nor keystrokes: metadata, commands, exec events and markers only. */
    COMMANDS("commands");

    private final String configName;

    CaptureMode(String configName) {
        this.configName = configName;
    }

    /** The name in configuration files, on the command line, on the wire and in the session header. */
    public String configName() {
        return configName;
    }

    public boolean storesOutput() {
        return this != COMMANDS;
    }

    public boolean storesInput() {
        return this == FULL;
    }

    /** @throws IllegalArgumentException naming the value and the allowed ones */
    public static CaptureMode parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (CaptureMode m : values()) {
            if (m.configName.equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown capture mode '" + text + "' (expected full, output or commands)");
    }
}
