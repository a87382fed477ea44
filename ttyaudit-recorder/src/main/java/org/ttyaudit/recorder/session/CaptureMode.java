package org.ttyaudit.recorder.session;

/** What the recorder keeps of a session. */
public enum CaptureMode {
    /** Output and keystrokes (keystrokes at no-echo prompts are redacted). */
    FULL("full"),
    /** Output only; no keystrokes are stored. */
    OUTPUT("output");

    private final String configName;

    CaptureMode(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static CaptureMode parse(String text) {
        for (CaptureMode m : values()) {
            if (m.configName.equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown capture mode '" + text + "' (expected full or output)");
    }
}
