package org.ttyaudit.server.testkit;

import org.ttyaudit.core.gateway.SshPublicKey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Distinct, well-formed {@code ssh-ed25519} public key lines from a seed (the server only checks a key's form, so no
 * key pair is needed), and their fingerprints as the API writes them and as a URL path carries them.
 */
public final class TestSshKeys {
    private TestSshKeys() {
    }

    public static String line(int seed, String comment) {
        byte[] type = "ssh-ed25519".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(4 + type.length + 4 + 32);
        b.putInt(type.length).put(type).putInt(32);
        for (int i = 0; i < 32; i++) {
            b.put((byte) (seed * 7 + i * 13));
        }
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(b.array()) + " " + comment;
    }

    public static String fingerprint(String line) {
        return SshPublicKey.parse(line).fingerprint();
    }

    /** The fingerprint in the URL-safe spelling the API accepts in paths. */
    public static String inPath(String line) {
        return fingerprint(line).replace('+', '-').replace('/', '_');
    }
}
