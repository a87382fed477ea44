package org.ttyaudit.core.gateway;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Public key lines built field by field in SSH wire format (structure only: no key pair is needed). */
final class TestKeys {
    private TestKeys() {
    }

    static byte[] blob(String type, byte[]... fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            byte[] t = type.getBytes(StandardCharsets.US_ASCII);
            out.writeInt(t.length);
            out.write(t);
            for (byte[] f : fields) {
                out.writeInt(f.length);
                out.write(f);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String ed25519(int seed, String comment) {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (seed * 31 + i);
        }
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob("ssh-ed25519", key))
                + (comment == null ? "" : " " + comment);
    }
}
