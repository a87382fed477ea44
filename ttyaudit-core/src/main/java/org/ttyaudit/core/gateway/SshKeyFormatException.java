package org.ttyaudit.core.gateway;

/**
 * A public key line that is not one {@link SshPublicKey} accepts; the message is one line saying what is wrong
 * (never the whole input, which may be long or binary).
 */
public final class SshKeyFormatException extends IllegalArgumentException {
    public SshKeyFormatException(String message) {
        super(message);
    }
}
