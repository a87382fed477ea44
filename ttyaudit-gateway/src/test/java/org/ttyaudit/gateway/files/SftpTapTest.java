package org.ttyaudit.gateway.files;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SftpTapTest {
    private static byte[] packet(int type, Object... fields) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(type);
        for (Object f : fields) {
            byte[] b = f instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : f instanceof byte[] a ? a : null;
            if (f instanceof Long l) {
                u32(body, (int) (l >>> 32));
                u32(body, (int) (long) l);
            } else if (f instanceof Integer i) {
                u32(body, i);
            } else {
                u32(body, b.length);
                body.writeBytes(b);
            }
        }
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        u32(p, body.size());
        p.writeBytes(body.toByteArray());
        return p.toByteArray();
    }

    private static void u32(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }

    @Test
    void aWriteTheServerRefusedIsNotReportedAndReportsSurviveAnySplit() {
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        byte[][] client = {packet(1, 3), packet(3, 1, "/f", 0x02, 0), packet(6, 2, "h", 0L, data),
                packet(4, 3, "h")};
        byte[][] server = {packet(2, 3), packet(102, 1, "h"), packet(101, 2, 4, "", ""),
                packet(101, 3, 0, "", "")};
        for (int split = 1; split < 8; split++) {
            RecordingSink sink = new RecordingSink();
            SftpTap tap = new SftpTap(sink);
            for (int i = 0; i < client.length; i++) {
                byte[] c = client[i];
                int cut = Math.min(split, c.length);
                tap.fromClient(c, 0, cut);
                tap.fromClient(c, cut, c.length - cut);
                tap.fromServer(server[i], 0, server[i].length);
            }
            tap.close();
            assertThat(sink.problems).isEmpty();
            assertThat(sink.events).isEmpty();
        }
    }

    @Test
    void garbageBeforeInitIsOneProblemAndNoEvent() {
        RecordingSink sink = new RecordingSink();
        SftpTap tap = new SftpTap(sink);
        byte[] junk = packet(13, 1, "/etc/passwd");
        tap.fromClient(junk, 0, junk.length);
        tap.fromClient(junk, 0, junk.length);
        tap.close();
        assertThat(sink.events).isEmpty();
        assertThat(sink.problems).hasSize(1).first().asString().contains("SSH_FXP_INIT");
    }
}
