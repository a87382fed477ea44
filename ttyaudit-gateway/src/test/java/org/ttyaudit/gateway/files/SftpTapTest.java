package org.ttyaudit.gateway.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.gateway.files.SftpConversation.*;

/**
 * SftpTap on hand-built version-3 conversations: every operation it understands, its answer when the server
 * refuses, and the same events however the two streams are cut into pieces.
 */
class SftpTapTest {
    private static final byte[] EMPTY = new byte[0];

    // ---- files: open flags, content, close ---------------------------------------------------------------------

    /** pflags: READ 1, WRITE 2, APPEND 4, CREAT 8, TRUNC 0x10, EXCL 0x20. */
    @ParameterizedTest(name = "pflags {0}")
    @CsvSource({"0x01, false", "0x02, false", "0x03, false", "0x06, false", "0x0a, true", "0x12, true",
            "0x1a, true", "0x2a, true", "0x0e, true", "0x3b, true"})
    void openingWithCreateOrTruncateIsAnEmptyWriteAndOtherwiseNothingWithoutContent(String pflags, boolean creates) {
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/srv/f", Integer.decode(pflags), NO_ATTRS)).reply(packet(HANDLE, 1, "h1"))
                .status(packet(CLOSE, 2, "h1"), 2, FX_OK);
        assertEverySplit(c, creates ? List.of(RecordingSink.transfer("write", "/srv/f", EMPTY)) : List.of());
    }

    @Test
    void writesOutOfOrderAreHashedInOffsetOrderAndReportedAtClose() {
        byte[] a = "first part, ".getBytes(StandardCharsets.UTF_8);
        byte[] b = "second part".getBytes(StandardCharsets.UTF_8);
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/up.txt", 0x1a, NO_ATTRS)).reply(packet(HANDLE, 1, "h"))
                // pipelined: both writes go out, the server confirms the second first
                .request(packet(WRITE, 2, "h", 0L, a)).request(packet(WRITE, 3, "h", (long) a.length, b))
                .reply(packet(STATUS, 3, FX_OK, "", "")).reply(packet(STATUS, 2, FX_OK, "", ""))
                .status(packet(CLOSE, 4, "h"), 4, FX_OK);
        assertEverySplit(c, List.of(RecordingSink.transfer("write", "/up.txt", concat(a, b))));
    }

    @Test
    void aRefusedWriteIsNotCountedAndTheGapItLeavesCostsTheHash() {
        byte[] part = "12345".getBytes(StandardCharsets.UTF_8);
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/up", 0x1a, NO_ATTRS)).reply(packet(HANDLE, 1, "h"))
                .status(packet(WRITE, 2, "h", 0L, part), 2, FX_OK)
                .status(packet(WRITE, 3, "h", 5L, part), 3, FX_PERMISSION_DENIED)
                .status(packet(WRITE, 4, "h", 10L, part), 4, FX_OK)
                .status(packet(CLOSE, 5, "h"), 5, FX_OK);
        assertEverySplit(c, List.of(RecordingSink.line("write", "/up", null, 10L, null)));
    }

    @Test
    void aWriteTheServerRefusedIsNotReported() {
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/f", 0x02, NO_ATTRS)).reply(packet(HANDLE, 1, "h"))
                .status(packet(WRITE, 2, "h", 0L, "hello".getBytes(StandardCharsets.UTF_8)), 2, FX_FAILURE)
                .status(packet(CLOSE, 3, "h"), 3, FX_OK);
        assertEverySplit(c, List.of());
    }

    @Test
    void readsAreCountedFromTheDataRepliesInOffsetOrderUpToEof() {
        byte[] a = "0123456789".getBytes(StandardCharsets.UTF_8);
        byte[] b = "abcdef".getBytes(StandardCharsets.UTF_8);
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/etc/hosts", 0x01, NO_ATTRS)).reply(packet(HANDLE, 1, "rh"))
                .request(packet(READ, 2, "rh", 0L, 10)).request(packet(READ, 3, "rh", 10L, 10))
                .request(packet(READ, 4, "rh", 20L, 10))
                .reply(packet(DATA, 3, b)).reply(packet(STATUS, 4, FX_EOF, "", "")).reply(packet(DATA, 2, a))
                .status(packet(CLOSE, 5, "rh"), 5, FX_OK);
        assertEverySplit(c, List.of(RecordingSink.transfer("read", "/etc/hosts", concat(a, b))));
    }

    @Test
    void anEmptyFileReadToEofIsAReadOfNothing() {
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/empty", 0x01, NO_ATTRS)).reply(packet(HANDLE, 1, "h"))
                .status(packet(READ, 2, "h", 0L, 32768), 2, FX_EOF)
                .status(packet(CLOSE, 3, "h"), 3, FX_OK);
        assertEverySplit(c, List.of(RecordingSink.transfer("read", "/empty", EMPTY)));
    }

    @Test
    void aFileOpenForReadAndWriteReportsBoth() {
        byte[] in = "old".getBytes(StandardCharsets.UTF_8);
        byte[] out = "new".getBytes(StandardCharsets.UTF_8);
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/rw", 0x03, NO_ATTRS)).reply(packet(HANDLE, 1, "h"))
                .request(packet(READ, 2, "h", 0L, 3)).reply(packet(DATA, 2, in))
                .status(packet(WRITE, 3, "h", 0L, out), 3, FX_OK)
                .status(packet(CLOSE, 4, "h"), 4, FX_OK);
        assertEverySplit(c, List.of(RecordingSink.transfer("read", "/rw", in), RecordingSink.transfer("write", "/rw", out)));
    }

    @Test
    void aCloseTheServerRefusedStillEndsTheFileAndOneNeverClosedIsReportedAtTheChannelsEnd() {
        byte[] data = "x".getBytes(StandardCharsets.UTF_8);
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/a", 0x1a, NO_ATTRS)).reply(packet(HANDLE, 1, "ha"))
                .request(packet(OPEN, 2, "/b", 0x1a, NO_ATTRS)).reply(packet(HANDLE, 2, "hb"))
                .status(packet(WRITE, 3, "hb", 0L, data), 3, FX_OK)
                .status(packet(CLOSE, 4, "ha"), 4, FX_FAILURE);
        assertEverySplit(c, List.of(RecordingSink.transfer("write", "/a", EMPTY),
                RecordingSink.transfer("write", "/b", data)));
    }

    @Test
    void anOpenTheServerRefusedIsNoFile() {
        SftpConversation c = started(true)
                .status(packet(OPEN, 1, "/root/secret", 0x01, NO_ATTRS), 1, FX_PERMISSION_DENIED)
                .status(packet(READ, 2, "h", 0L, 10), 2, FX_FAILURE);
        assertEverySplit(c, List.of());
    }

    // ---- operations on names --------------------------------------------------------------------------------

    @Test
    void operationsOnNamesAreReportedWhenTheServerSaysOk() {
        SftpConversation c = started(true)
                .status(packet(REMOVE, 1, "/tmp/gone"), 1, FX_OK)
                .status(packet(RENAME, 2, "/tmp/old", "/tmp/new"), 2, FX_OK)
                .status(packet(MKDIR, 3, "/tmp/d", NO_ATTRS), 3, FX_OK)
                .status(packet(RMDIR, 4, "/tmp/d2"), 4, FX_OK)
                .status(packet(SETSTAT, 5, "/tmp/f", 4, 0644), 5, FX_OK)   // flags PERMISSIONS: chmod 644
                .request(packet(OPEN, 6, "/tmp/g", 0x01, NO_ATTRS)).reply(packet(HANDLE, 6, "hg"))
                .status(packet(FSETSTAT, 7, "hg", 4, 0600), 7, FX_OK)
                .status(packet(SYMLINK, 8, "target/file", "/tmp/link"), 8, FX_OK)   // OpenSSH: target first
                .status(packet(EXTENDED, 9, "posix-rename@openssh.com", "/tmp/p1", "/tmp/p2"), 9, FX_OK)
                .status(packet(EXTENDED, 10, "hardlink@openssh.com", "/tmp/existing", "/tmp/hard"), 10, FX_OK)
                .status(packet(EXTENDED, 11, "lsetstat@openssh.com", "/tmp/l", 4, 0700), 11, FX_OK)
                .status(packet(EXTENDED, 12, "statvfs@openssh.com", "/"), 12, FX_OK)
                .status(packet(CLOSE, 13, "hg"), 13, FX_OK);
        assertEverySplit(c, List.of(
                "remove /tmp/gone",
                "rename /tmp/old -> /tmp/new",
                "mkdir /tmp/d",
                "rmdir /tmp/d2",
                "setstat /tmp/f",
                "setstat /tmp/g",
                "symlink /tmp/link -> target/file",
                "rename /tmp/p1 -> /tmp/p2",
                "link /tmp/hard -> /tmp/existing",
                "setstat /tmp/l"));
    }

    @Test
    void operationsTheServerRefusedAreNotReported() {
        SftpConversation c = started(true)
                .status(packet(REMOVE, 1, "/etc/passwd"), 1, FX_PERMISSION_DENIED)
                .status(packet(RENAME, 2, "/a", "/b"), 2, FX_NO_SUCH_FILE)
                .status(packet(MKDIR, 3, "/d", NO_ATTRS), 3, FX_FAILURE)
                .status(packet(RMDIR, 4, "/d"), 4, FX_FAILURE)
                .status(packet(SETSTAT, 5, "/f", NO_ATTRS), 5, FX_PERMISSION_DENIED)
                .status(packet(SYMLINK, 6, "t", "/l"), 6, FX_FAILURE)
                .status(packet(EXTENDED, 7, "posix-rename@openssh.com", "/x", "/y"), 7, FX_FAILURE)
                .status(packet(EXTENDED, 8, "hardlink@openssh.com", "/x", "/y"), 8, FX_FAILURE);
        assertEverySplit(c, List.of());
    }

    @Test
    void aServerWithoutOpensshExtensionsGetsTheDraftsSymlinkOrder() {
        SftpConversation c = started(false)
                .status(packet(SYMLINK, 1, "/tmp/link", "target/file"), 1, FX_OK);   // draft: link path first
        assertEverySplit(c, List.of("symlink /tmp/link -> target/file"));
    }

    @Test
    void repliesToRequestsNobodyMadeAreIgnored() {
        SftpConversation c = started(true)
                .reply(packet(STATUS, 77, FX_OK, "", "")).reply(packet(HANDLE, 78, "h"))
                .status(packet(REMOVE, 1, "/x"), 1, FX_OK);
        assertEverySplit(c, List.of("remove /x"));
    }

    // ---- what the tap cannot follow -------------------------------------------------------------------------

    @Test
    void anOversizedLengthIsOneProblemAtItsFourBytesWithNothingHeld() {
        for (long claimed : new long[]{SftpTap.MAX_PACKET + 1L, 0x7fffffffL, 0xffffffffL, 0}) {
            RecordingSink sink = new RecordingSink();
            SftpTap tap = new SftpTap(sink);
            byte[] header = {(byte) (claimed >>> 24), (byte) (claimed >>> 16), (byte) (claimed >>> 8), (byte) claimed};
            // the length alone is enough: the tap does not wait for (or make room for) the body it announces
            for (byte b : header) {
                tap.fromClient(new byte[]{b}, 0, 1);
            }
            assertThat(sink.problems).as("length %d", claimed).containsExactly("SFTP packet from the client claims "
                    + claimed + " bytes (1 to " + SftpTap.MAX_PACKET + " allowed)");
            tap.fromClient(new byte[1000], 0, 1000);
            tap.fromServer(header, 0, 4);
            tap.close();
            assertThat(sink.problems).hasSize(1);
            assertThat(sink.events).isEmpty();
        }
    }

    @Test
    void thePacketLimitItselfIsAccepted() {
        byte[] data = new byte[SftpTap.MAX_PACKET - 1 - 4 - 4 - 1 - 8 - 4];   // type, id, handle "h", offset, length
        Arrays.fill(data, (byte) 'z');
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/big", 0x1a, NO_ATTRS)).reply(packet(HANDLE, 1, "h"))
                .status(packet(WRITE, 2, "h", 0L, data), 2, FX_OK)
                .status(packet(CLOSE, 3, "h"), 3, FX_OK);
        assertThat(c.clientBytes().length).isGreaterThan(SftpTap.MAX_PACKET);
        RecordingSink sink = c.feed(Integer.MAX_VALUE, Integer.MAX_VALUE, 1000);
        assertThat(sink.problems).isEmpty();
        assertThat(sink.events).containsExactly(RecordingSink.transfer("write", "/big", data));
    }

    @Test
    void aFieldRunningPastItsPacketIsAProblemNamingIt() {
        byte[] open = packet(OPEN, 1, "/f", 0x01, NO_ATTRS);
        open[9] = (byte) 0x7f;   // the path's length (after length, type, id) becomes 0x7f000002, in a 23-byte packet
        SftpConversation c = started(true).request(open);
        assertEverySplitProblem(c, "SFTP packet from the client ends before a string of 2130706434 bytes (10 bytes left)");

        SftpConversation cut = started(true).request(packet(REMOVE, 1));   // no path at all
        assertEverySplitProblem(cut, "SFTP packet from the client ends before a uint32 (0 bytes left)");

        SftpConversation status = started(true).request(packet(REMOVE, 1, "/x")).reply(packet(STATUS, 1));
        assertEverySplitProblem(status, "SFTP packet from the server ends before a uint32 (0 bytes left)");
    }

    @Test
    void aStreamThatEndsInsideAPacketIsAProblem() {
        byte[] remove = packet(REMOVE, 1, "/x");
        for (int keep = 1; keep < remove.length; keep++) {
            SftpConversation c = started(true).request(Arrays.copyOf(remove, keep));
            RecordingSink sink = c.feedWhole();
            assertThat(sink.problems).as("cut after %d bytes", keep)
                    .containsExactly("SFTP stream from the client ends inside a packet");
        }
        SftpConversation c = started(true).request(remove).reply(Arrays.copyOf(packet(STATUS, 1, FX_OK, "", ""), 9));
        assertThat(c.feedWhole().problems).containsExactly("SFTP stream from the server ends inside a packet");
    }

    @Test
    void aProblemStopsTheTapButTheTransfersUnderWayAreStillReportedAtTheEnd() {
        byte[] data = "uploaded".getBytes(StandardCharsets.UTF_8);
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/up", 0x1a, NO_ATTRS)).reply(packet(HANDLE, 1, "h"))
                .status(packet(WRITE, 2, "h", 0L, data), 2, FX_OK)
                .request(new byte[]{0, 0, 0, 0})   // a zero length: the stream cannot be followed from here
                .status(packet(REMOVE, 3, "/x"), 3, FX_OK);
        RecordingSink whole = c.feedWhole();
        assertThat(whole.problems).containsExactly("SFTP packet from the client claims 0 bytes (1 to "
                + SftpTap.MAX_PACKET + " allowed)");
        assertThat(whole.events).containsExactly(RecordingSink.transfer("write", "/up", data));
        assertSplitsGive(c, whole);
    }

    @Test
    void theProtocolsOrderIsEnforced() {
        assertEverySplitProblem(new SftpConversation().request(packet(REMOVE, 1, "/etc/passwd")),
                "SFTP client's first packet is type 13, not SSH_FXP_INIT (1)");
        assertEverySplitProblem(new SftpConversation().request(packet(INIT, 0)),
                "SFTP client asks for version 0");
        assertEverySplitProblem(new SftpConversation().request(packet(INIT, 3)).reply(packet(STATUS, 1, 0)),
                "SFTP server's first packet is type 101, not SSH_FXP_VERSION (2)");
        assertEverySplitProblem(new SftpConversation().request(packet(INIT, 3)).reply(packet(VERSION, 7)),
                "SFTP server answers with version 7 (1 to 6 understood)");
        assertEverySplitProblem(started(true).request(packet(INIT, 3)),
                "SFTP client sent SSH_FXP_INIT a second time");
        assertEverySplitProblem(started(true).request(packet(REMOVE, 5, "/a")).request(packet(REMOVE, 5, "/b")),
                "SFTP client reused request id 5 before its reply");
    }

    @Test
    void tooManyRequestsAwaitingAReplyIsAProblem() {
        SftpConversation c = started(true);
        for (int id = 0; id <= SftpTap.MAX_OUTSTANDING; id++) {
            c.request(packet(REMOVE, id, "/f" + id));
        }
        RecordingSink sink = c.feedWhole();
        assertThat(sink.problems).containsExactly("SFTP client has more than " + SftpTap.MAX_OUTSTANDING
                + " requests awaiting a reply");
    }

    @Test
    void aHandleTheServerGivesOutAgainWhileOpenEndsTheFileItNamed() {
        byte[] data = "one".getBytes(StandardCharsets.UTF_8);
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/one", 0x1a, NO_ATTRS)).reply(packet(HANDLE, 1, "h"))
                .status(packet(WRITE, 2, "h", 0L, data), 2, FX_OK)
                .request(packet(OPEN, 3, "/two", 0x01, NO_ATTRS)).reply(packet(HANDLE, 3, "h"))
                .status(packet(CLOSE, 4, "h"), 4, FX_OK);
        assertEverySplit(c, List.of(RecordingSink.transfer("write", "/one", data)));
    }

    @Test
    void contentAnsweredAfterTheCloseIsNotHeldForAFileAlreadyReported() {
        // A server that answers a file's READs after its CLOSE (replies may come in any order): that content comes
        // too late for the file's event, and must not stay held for it, taking the room other files need.
        int piece = 256 * 1024;
        int late = (int) (SftpTap.MAX_HELD / piece);   // all of the budget
        SftpConversation c = started(true)
                .request(packet(OPEN, 1, "/a", 0x01, NO_ATTRS)).reply(packet(HANDLE, 1, "ha"));
        for (int i = 1; i <= late; i++) {
            c.request(packet(READ, 100 + i, "ha", (long) i * piece, piece));
        }
        c.request(packet(CLOSE, 2, "ha")).reply(packet(STATUS, 2, FX_OK, "", ""));
        for (int i = 1; i <= late; i++) {
            c.reply(packet(DATA, 100 + i, new byte[piece]));
        }
        byte[] first = "first".getBytes(StandardCharsets.UTF_8);
        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        c.request(packet(OPEN, 3, "/b", 0x01, NO_ATTRS)).reply(packet(HANDLE, 3, "hb"))
                .request(packet(READ, 4, "hb", 0L, 5)).request(packet(READ, 5, "hb", 5L, 6))
                .reply(packet(DATA, 5, second)).reply(packet(DATA, 4, first))   // "second" is held until "first"
                .status(packet(CLOSE, 6, "hb"), 6, FX_OK);
        RecordingSink sink = c.feed(Integer.MAX_VALUE, Integer.MAX_VALUE, 64 * 1024);
        assertThat(sink.problems).isEmpty();
        assertThat(sink.events).containsExactly(RecordingSink.transfer("read", "/b", concat(first, second)));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /**
     * The conversation gives exactly {@code expected} and no problem fed whole, cut once at every byte of either
     * stream, and in pieces of every size up to 64 bytes.
     */
    private static void assertEverySplit(SftpConversation c, List<String> expected) {
        RecordingSink whole = c.feedWhole();
        assertThat(whole.problems).isEmpty();
        assertThat(whole.events).isEqualTo(expected);
        assertSplitsGive(c, whole);
    }

    /** The conversation gives exactly this one problem, and no event, whole and at every split. */
    private static void assertEverySplitProblem(SftpConversation c, String problem) {
        RecordingSink whole = c.feedWhole();
        assertThat(whole.problems).containsExactly(problem);
        assertThat(whole.events).isEmpty();
        assertSplitsGive(c, whole);
    }

    private static void assertSplitsGive(SftpConversation c, RecordingSink whole) {
        int max = Integer.MAX_VALUE;
        for (int cut = 1; cut < c.clientBytes().length; cut++) {
            RecordingSink split = c.feed(cut, max, max);
            assertThat(split.events).as("client cut at %d", cut).isEqualTo(whole.events);
            assertThat(split.problems).as("client cut at %d", cut).isEqualTo(whole.problems);
        }
        for (int cut = 1; cut < c.serverBytes().length; cut++) {
            RecordingSink split = c.feed(max, cut, max);
            assertThat(split.events).as("server cut at %d", cut).isEqualTo(whole.events);
            assertThat(split.problems).as("server cut at %d", cut).isEqualTo(whole.problems);
        }
        for (int piece = 1; piece <= 64; piece++) {
            RecordingSink split = c.feed(max, max, piece);
            assertThat(split.events).as("pieces of %d", piece).isEqualTo(whole.events);
            assertThat(split.problems).as("pieces of %d", piece).isEqualTo(whole.problems);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
