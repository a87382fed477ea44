package org.ttyaudit.core.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * One public key as OpenSSH writes it in {@code authorized_keys} and {@code *.pub} files:
 * {@code ssh-ed25519 AAAAC3Nza... alice@laptop}. {@link #parse} checks the line: a supported key type, a blob that
 * is valid base64 and is an SSH wire-format key of that same type with exactly the fields the type has (lengths
 * consistent, nothing left over), and a comment without control characters.
 *
 * <p><b>Options are refused</b> ({@code from="10.0.0.0/8",no-pty ssh-ed25519 ...}): the gateway does not enforce
 * {@code authorized_keys} options, so accepting such a line would silently widen what its author meant to allow
 * (a key limited by {@code from=} would work from anywhere). Certificates ({@code *-cert-v01@openssh.com}) and
 * DSA keys are refused too.
 *
 * <p>Immutable. The only exception {@link #parse} throws for bad input is {@link SshKeyFormatException}.
 *
 * @param type    the key type, e.g. {@code ssh-ed25519}
 * @param blob    the key in SSH wire format, base64 (canonical: re-encoded from the decoded bytes)
 * @param comment the text after the key, trimmed; empty when none
 */
public record SshPublicKey(String type, String blob, String comment) {
    /** Longer than any key OpenSSH makes (RSA 16384 bits is about 2.8 KB of base64); longer lines are refused. */
    public static final int MAX_LINE = 8192;
    public static final int MAX_COMMENT = 1024;

    /** The supported types and how many length-prefixed fields follow the type name in the blob. */
    private static final Map<String, Integer> FIELDS = Map.of(
            "ssh-ed25519", 1,                              // key (32 bytes)
            "ssh-rsa", 2,                                  // e, n
            "ecdsa-sha2-nistp256", 2,                      // curve name, point
            "ecdsa-sha2-nistp384", 2,
            "ecdsa-sha2-nistp521", 2,
            "sk-ssh-ed25519@openssh.com", 2,               // key, application
            "sk-ecdsa-sha2-nistp256@openssh.com", 3);      // curve name, point, application

    public SshPublicKey {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(blob, "blob");
        comment = comment == null ? "" : comment;
    }

    /**
     * Parses one key line (surrounding white space is ignored).
     *
     * @throws SshKeyFormatException saying what is wrong
     */
    public static SshPublicKey parse(String line) {
        if (line == null) {
            throw new SshKeyFormatException("no key given");
        }
        if (line.length() > MAX_LINE) {
            throw new SshKeyFormatException("the key line is longer than " + MAX_LINE + " characters");
        }
        String text = line.strip();
        if (text.isEmpty()) {
            throw new SshKeyFormatException("the key line is empty");
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new SshKeyFormatException("one key per line: the text has several lines");
        }
        String[] parts = text.split("[ \\t]+", 3);
        String type = parts[0];
        if (!FIELDS.containsKey(type)) {
            throw new SshKeyFormatException(unsupported(type, text));
        }
        if (parts.length < 2) {
            throw new SshKeyFormatException("the key data is missing after " + type);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new SshKeyFormatException("the key data is not valid base64");
        }
        checkBlob(type, bytes);
        String comment = parts.length > 2 ? parts[2].strip() : "";
        if (comment.length() > MAX_COMMENT) {
            throw new SshKeyFormatException("the comment is longer than " + MAX_COMMENT + " characters");
        }
        if (comment.codePoints().anyMatch(Character::isISOControl)) {
            throw new SshKeyFormatException("the comment has control characters");
        }
        return new SshPublicKey(type, Base64.getEncoder().encodeToString(bytes), comment);
    }

    /** The key's blob in SSH wire format. */
    public byte[] blobBytes() {
        return Base64.getDecoder().decode(blob);
    }

    /** The fingerprint as {@code ssh-keygen -l} prints it: {@code SHA256:} and the unpadded base64 digest. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blobBytes());
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The line as OpenSSH writes it: type, blob and the comment when there is one. */
    public String line() {
        return comment.isEmpty() ? type + " " + blob : type + " " + blob + " " + comment;
    }

    @Override
    public String toString() {
        return type + " " + fingerprint() + (comment.isEmpty() ? "" : " " + comment);
    }

    private static String unsupported(String type, String line) {
        String shown = type.length() > 40 ? type.substring(0, 40) + "…" : type;
        shown = shown.replaceAll("\\p{Cntrl}", "?");
        // a key type later on the line: what comes first are options (no-pty, from="...", command="...")
        boolean keyFollows = java.util.Arrays.stream(line.split("[ \\t]+")).skip(1).anyMatch(FIELDS::containsKey);
        if (keyFollows || type.contains("=") || type.contains("\"")) {
            return "the line starts with options (" + shown + "): options are not supported, give the key alone";
        }
        if (type.endsWith("-cert-v01@openssh.com")) {
            return "certificates are not supported (" + shown + "): give the plain public key";
        }
        return "unsupported key type '" + shown + "' (expected one of ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256,"
                + " ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, sk-ssh-ed25519@openssh.com,"
                + " sk-ecdsa-sha2-nistp256@openssh.com)";
    }

    /** The blob must be: string type, then exactly the type's fields, each a uint32 length and that many bytes. */
    private static void checkBlob(String type, byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] embedded = field(b, "the key type");
        String embeddedType = new String(embedded, StandardCharsets.US_ASCII);
        if (!embeddedType.equals(type)) {
            throw new SshKeyFormatException("the key data is of another type than the line says (" + type + ")");
        }
        int n = FIELDS.get(type);
        byte[] first = null;
        for (int i = 0; i < n; i++) {
            byte[] f = field(b, "field " + (i + 1) + " of the " + type + " key");
            if (f.length == 0) {
                throw new SshKeyFormatException("the " + type + " key has an empty field");
            }
            if (i == 0) {
                first = f;
            }
        }
        if (b.hasRemaining()) {
            throw new SshKeyFormatException("the key data has " + b.remaining() + " bytes after the " + type
                    + " key");
        }
        if (type.contains("ed25519") && first.length != 32) {
            throw new SshKeyFormatException("an ed25519 key has 32 bytes, not " + first.length);
        }
        if (type.contains("ecdsa") && !type.contains("nistp" + curveBits(first))) {
            throw new SshKeyFormatException("the key data names another curve than the line says (" + type + ")");
        }
    }

    private static String curveBits(byte[] curveName) {
        String name = new String(curveName, StandardCharsets.US_ASCII);
        return name.startsWith("nistp") ? name.substring(5) : "?";
    }

    private static byte[] field(ByteBuffer b, String what) {
        if (b.remaining() < 4) {
            throw new SshKeyFormatException("the key data ends before " + what);
        }
        int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
            throw new SshKeyFormatException("the key data ends inside " + what);
        }
        byte[] out = new byte[length];
        b.get(out);
        return out;
    }
}
