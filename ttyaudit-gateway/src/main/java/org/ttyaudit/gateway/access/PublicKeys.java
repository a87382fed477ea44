package org.ttyaudit.gateway.access;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.ttyaudit.core.gateway.SshPublicKey;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Map;

/** Turns a checked key line into a {@link PublicKey} MINA can compare with what a client offers. */
final class PublicKeys {
    private PublicKeys() {
    }

    /**
     * The key of {@code key}.
     *
     * @throws GeneralSecurityException when the key does not decode (a curve point that is not one, an RSA modulus of
     *                                  nonsense): the line's form was fine, the numbers are not
     */
    static PublicKey of(SshPublicKey key) throws GeneralSecurityException {
        try {
            PublicKey k = PublicKeyEntry.parsePublicKeyEntry(key.line()).resolvePublicKey(null, Map.of(),
                    PublicKeyEntryResolver.FAILING);
            if (k == null) {
                throw new GeneralSecurityException("no decoder for " + key.type());
            }
            return k;
        } catch (IOException | RuntimeException e) {
            // MINA reports undecodable numbers in several ways; all mean this key cannot log anyone in
            throw new GeneralSecurityException("cannot decode the " + key.type() + " key " + key.fingerprint() + ": "
                    + e.getMessage(), e);
        }
    }
}
