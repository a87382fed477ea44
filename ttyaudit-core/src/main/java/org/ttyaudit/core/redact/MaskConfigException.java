package org.ttyaudit.core.redact;

/**
 * A masking configuration file is unusable. The message is one line a user can act on: it names the file, the
 * entry and what is wrong with it (for example {@code mask.json: rules[2] "corp-token": bad regex: Unclosed group
 * near index 7}).
 */
public final class MaskConfigException extends RuntimeException {
    public MaskConfigException(String message) {
        super(message);
    }
}
