package org.ttyaudit.core.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.ttyaudit.core.model.InputEvent;
import org.ttyaudit.core.model.MarkerEvent;
import org.ttyaudit.core.model.OutputEvent;
import org.ttyaudit.core.model.ResizeEvent;

class TlogSourceTest {
    private static final Instant MTIME = Instant.parse("2026-01-02T03:04:05Z");
    private static final String HEAD = "{\"ver\":\"2.3\",\"host\":\"db-1\",\"rec\":\"r1\",\"user\":\"alice\","
            + "\"term\":\"xterm\",\"session\":7,";

    static TlogSource source(String text) throws IOException {
        return new TlogSource("t.json", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), MTIME);
    }

    static String message(int id, long pos, String timing, String in, String out) {
        return HEAD + "\"id\":" + id + ",\"pos\":" + pos + ",\"timing\":\"" + timing + "\",\"in_txt\":\"" + in
                + "\",\"in_bin\":[],\"out_txt\":\"" + out + "\",\"out_bin\":[]}\n";
    }

    @Test
    void aRealRecordingWithInputAndBytesThatAreNotUtf8() throws Exception {
        // tlog-rec --log-input=true -w file of: printf 'h\xc3\xa9 \xff\xfe bad\n'; read -t 1 x (typed ^D); ...
        try (InputStream in = getClass().getResourceAsStream("tlog-input.json")) {
            Drained d = Drained.of(new TlogSource("tlog-input.json", in, MTIME));
            SourceMetadata m = d.metadata();
            assertThat(m.format()).isEqualTo("tlog");
            assertThat(m.user()).isEqualTo("root");
            assertThat(m.host()).isEqualTo("vm");
            assertThat(m.term()).isEqualTo("xterm");
            assertThat(m.cols()).isEqualTo(100);
            assertThat(m.rows()).isEqualTo(30);
            assertThat(m.startedAt()).isEqualTo(Instant.ofEpochMilli(1796589194841L));
            assertThat(m.tags()).containsEntry("tlog_rec", "4da5aa83a4f94f119fc8d44773ddcc35-59ee-21dce5")
                    .containsEntry("tlog_version", "2.3").doesNotContainKey("audit_session")
                    .doesNotContainKey("start_estimated");
            byte[] expected = "hé \u0000\u0000 bad\r\ngot\r\ndone\r\n".getBytes(StandardCharsets.UTF_8);
            expected[4] = (byte) 0xff;
            expected[5] = (byte) 0xfe;
            assertThat(d.outputBytes()).isEqualTo(expected);
            assertThat(d.input()).isEqualTo("\u0004");
            assertThat(d.events()).filteredOn(e -> e instanceof InputEvent).singleElement()
                    .extracting(e -> e.offsetMicros()).isEqualTo(244_000L);
            assertThat(d.events()).noneMatch(e -> e instanceof ResizeEvent);
            assertThat(d.inTimeOrder()).isTrue();
            assertThat(d.end().durationMicros()).isEqualTo(451_000);
            assertThat(d.end().exitStatus()).isNull();
        }
    }

    @Test
    void messagesFollowEachOtherWithResizesAndAGap() throws Exception {
        Drained d = Drained.of(source(message(1, 0, "=80x24>3+10=100x40", "", "abc")
                + message(2, 20, ">2+5<1", "q", "de") + message(5, 40, "=0x0>1", "", "f")));
        assertThat(d.metadata().cols()).isEqualTo(80);
        assertThat(d.metadata().tags()).containsEntry("audit_session", "7");
        assertThat(d.events()).containsSubsequence(new ResizeEvent(10_000, 100, 40),
                new MarkerEvent(40_000, "import-gap", "tlog messages 3..4 are missing"));
        assertThat(d.events()).extracting(e -> e.kind() + "@" + e.offsetMicros()).containsExactly("output@0",
                "resize@10000", "output@20000", "input@25000", "marker@40000", "output@40000");
        assertThat(d.output()).isEqualTo("abcdef");
        assertThat(d.end().notes()).containsExactly("left out window sizes of 0x0 (the recorded terminal had no size)");
    }

    @Test
    void withoutAnInitialSize80x24IsAssumed() throws Exception {
        Drained d = Drained.of(source(message(1, 0, ">1", "", "x")));
        assertThat(d.metadata().cols()).isEqualTo(80);
        assertThat(d.metadata().rows()).isEqualTo(24);
        assertThat(d.metadata().startedAt()).isEqualTo(MTIME);
        assertThat(d.metadata().tags()).containsEntry("start_estimated", "file-mtime");
        assertThat(d.end().notes()).contains("the recording does not start with a window size; assumed 80x24");
        assertThat(d.events()).singleElement().isEqualTo(d.events().get(0)).isInstanceOf(OutputEvent.class);
    }

    @Test
    void problemsNameTheLineAndWhatIsWrong() {
        assertThatThrownBy(() -> Drained.of(source(message(1, 0, ">5", "", "abc"))))
                .isInstanceOf(ImportFormatException.class)
                .hasMessage("t.json: line 1: timing takes 5 characters of out_txt, which has fewer left");
        assertThatThrownBy(() -> Drained.of(source(message(1, 0, ">1", "", "abc"))))
                .hasMessage("t.json: line 1: timing leaves 2 characters of out_txt unplaced");
        assertThatThrownBy(() -> Drained.of(source(message(1, 0, ">1", "", "a") + "\n"
                + message(1, 5, ">1", "", "b"))))
                .hasMessage("t.json: line 3: message id 1 after 1: repeated or out of order");
        assertThatThrownBy(() -> Drained.of(source(message(1, 0, ">1", "", "a")
                + message(2, 5, ">1", "", "b").replace("\"r1\"", "\"r2\""))))
                .hasMessageStartingWith("t.json: line 2: message of another recording (rec r2, not r1)");
        assertThatThrownBy(() -> Drained.of(source(message(1, 0, ">1*", "", "a"))))
                .hasMessage("t.json: line 1: timing has '*' at character 3 (expected one of + < > [ ] =)");
        assertThatThrownBy(() -> Drained.of(source(message(1, 0, ">1", "", "a").replace("\"2.3\"", "\"3.0\""))))
                .hasMessage("t.json: line 1: unsupported tlog message version \"3.0\" (expected 2.x)");
        assertThatThrownBy(() -> Drained.of(source("{\"ver\":\"2\"")))
                .hasMessageStartingWith("t.json: line 1: not a JSON message:");
        assertThatThrownBy(() -> Drained.of(source("")))
                .hasMessage("t.json: empty file: expected tlog JSON messages");
    }
}
