package org.ttyaudit.recorder.shell;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Feeds chunks through a {@link MarkerStripper} the way the recorder does and collects what the user would see. */
final class StripperHarness {
    static final String NONCE = "0123456789abcdef0123456789abcdef";

    final RecordingListener listener = new RecordingListener();
    final MarkerStripper stripper = new MarkerStripper(NONCE.getBytes(StandardCharsets.US_ASCII), listener);
    private final ByteArrayOutputStream visible = new ByteArrayOutputStream();

    void feed(byte[] chunk) {
        byte[] out = new byte[chunk.length + stripper.heldBytes()];
        int n = stripper.filter(chunk, 0, chunk.length, out, 0);
        visible.write(out, 0, n);
    }

    byte[] finish() {
        byte[] out = new byte[stripper.heldBytes()];
        int n = stripper.flush(out, 0);
        visible.write(out, 0, n);
        return visible.toByteArray();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A marker as the shell hooks write it; {@code params} like {@code ";cmd=ls"}, terminator BEL. */
    static String marker(char kind, String nonce, String params) {
        return "\u001b]133;" + kind + ";ttyaudit=" + nonce + params + "\u0007";
    }

    static String marker(char kind, String params) {
        return marker(kind, NONCE, params);
    }

    static String cmdMarker(byte[] cmd, byte[] cwd) {
        return marker('C', ";cmd=" + new String(MarkerEscaping.encode(cmd), StandardCharsets.ISO_8859_1)
                + ";cwd=" + new String(MarkerEscaping.encode(cwd), StandardCharsets.ISO_8859_1));
    }

    static List<String> run(String... chunks) {
        StripperHarness h = new StripperHarness();
        for (String c : chunks) {
            h.feed(bytes(c));
        }
        byte[] visible = h.finish();
        return List.of(new String(visible, StandardCharsets.ISO_8859_1), String.join("|", h.listener.events));
    }
}
