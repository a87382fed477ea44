package org.ttyaudit.core.model;

/** Where a command line came from. The JSON name is what {@code ttyaudit commands --json} prints. */
public enum CommandSource {
    /** Reported by the shell itself through the recorder's init script (OSC 133/633 markers with the nonce). */
    SHELL_INTEGRATION("shell-integration"),
    /** Reconstructed from the model of the terminal screen when the user pressed Enter. */
    SCREEN("screen"),
    /** The command line of an SSH {@code exec} request, as the client sent it (the SSH gateway). */
    SSH_EXEC("ssh-exec");

    private final String jsonName;

    CommandSource(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static CommandSource fromJsonName(String name) {
        for (CommandSource s : values()) {
            if (s.jsonName.equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown command source: " + name);
    }
}
