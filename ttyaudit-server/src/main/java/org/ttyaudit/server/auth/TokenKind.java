package org.ttyaudit.server.auth;

/**
 * The kinds of random secrets the server hands out, each with its own prefix so that a leaked token is easy to
 * recognise (secret scanners, logs) and a token of one kind is never accepted as another.
 */
public enum TokenKind {
    /** A user's API token. */
    API("tta_"),
    /** A single-use host enrollment token. */
    ENROLLMENT("tte_"),
    /** A host's credential, obtained by enrolling. */
    HOST("tth_"),
    /** A web UI login session (cookie value). */
    WEB_SESSION("tts_");

    private final String prefix;

    TokenKind(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }
}
