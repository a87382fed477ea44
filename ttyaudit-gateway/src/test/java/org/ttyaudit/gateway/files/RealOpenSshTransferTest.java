package org.ttyaudit.gateway.files;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ttyaudit.gateway.files.RecordingSink.transfer;

/**
 * The real OpenSSH tools (sftp, scp in SFTP and in legacy mode, sftp-server, scp -t/-f) move real files through
 * {@link OpenSshStandIn}; the taps must report what happened, with the SHA-256 of the files' content.
 */
class RealOpenSshTransferTest {
    @TempDir
    Path dir;

    private OpenSshStandIn standIn;
    private final RecordingSink sink = new RecordingSink();
    private byte[] big;

    @BeforeEach
    void files() throws Exception {
        standIn = new OpenSshStandIn(dir);
        big = new byte[5 * 1024 * 1024 + 12345];
        new Random(42).nextBytes(big);
        Files.write(standIn.localDir().resolve("big.bin"), big);
        Files.write(standIn.localDir().resolve("empty.bin"), new byte[0]);
    }

    @org.junit.jupiter.api.BeforeAll
    static void needsOpenSsh() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/lib/openssh/sftp-server"))
                        && java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/sftp")),
                "needs OpenSSH (apt-get install openssh-server openssh-client)");
    }

    @Test
    void sftpUploadsDownloadsAndChangesAreReportedWithTheContentsHashes() throws Exception {
        Path batch = dir.resolve("batch");
        Files.writeString(batch, String.join("\n",
                "mkdir up",
                "put big.bin up/big.bin",
                "put empty.bin up/empty.bin",
                "get up/big.bin back.bin",
                "rename up/empty.bin up/empty2.bin",
                "symlink big.bin up/link",
                "ln up/big.bin up/hard",
                "chmod 600 up/big.bin",
                "rm up/hard",
                "mkdir gone",
                "rmdir gone",
                "-rm up/missing",
                ""));
        String output = standIn.run(List.of("sftp", "-b", batch.toString(), "host"), this::tap);

        String home = standIn.remoteHome().toString();
        assertThat(sink.problems).as(output).isEmpty();
        assertThat(sink.events).as(output).containsExactly(
                "mkdir " + home + "/up",
                transfer("write", home + "/up/big.bin", big),
                transfer("write", home + "/up/empty.bin", new byte[0]),
                transfer("read", home + "/up/big.bin", big),
                "rename " + home + "/up/empty.bin -> " + home + "/up/empty2.bin",
                "symlink " + home + "/up/link -> big.bin",
                "link " + home + "/up/hard -> " + home + "/up/big.bin",
                "setstat " + home + "/up/big.bin",
                "remove " + home + "/up/hard",
                "mkdir " + home + "/gone",
                "rmdir " + home + "/gone");
        assertThat(Files.readAllBytes(standIn.localDir().resolve("back.bin"))).isEqualTo(big);
        assertThat(Files.readSymbolicLink(standIn.remoteHome().resolve("up/link"))).hasToString("big.bin");
    }

    /** scp's SFTP mode keeps relative paths, and sets the copy's mode (FSETSTAT) before closing it. */
    @Test
    void scpInItsDefaultSftpModeIsFollowedByTheSftpTap() throws Exception {
        String output = standIn.run(List.of("scp", "big.bin", "host:copy.bin"), this::tap);

        assertThat(sink.problems).as(output).isEmpty();
        assertThat(sink.events).as(output)
                .containsExactly("setstat copy.bin", transfer("write", "copy.bin", big));
    }

    @Test
    void legacyScpUploadsAndDownloadsAreReportedWithTheContentsHashes() throws Exception {
        Files.createDirectories(standIn.remoteHome().resolve("up"));
        String output = standIn.run(List.of("scp", "-O", "big.bin", "empty.bin", "host:up"), this::tap);
        output += standIn.run(List.of("scp", "-O", "big.bin", "host:'single copy.bin'"), this::tap);
        output += standIn.run(List.of("scp", "-O", "host:up/big.bin", "back.bin"), this::tap);

        assertThat(sink.problems).as(output).isEmpty();
        assertThat(sink.events).as(output).containsExactly(
                transfer("write", "up/big.bin", big),
                transfer("write", "up/empty.bin", new byte[0]),
                transfer("write", "single copy.bin", big),
                transfer("read", "up/big.bin", big));
        assertThat(Files.readAllBytes(standIn.localDir().resolve("back.bin"))).isEqualTo(big);
    }

    @Test
    void legacyScpRecursiveCopiesReportDirectoriesAndTheFilesInThem() throws Exception {
        Path tree = Files.createDirectories(standIn.localDir().resolve("tree/sub"));
        Files.writeString(tree.resolve("a.txt"), "alpha\n");
        Files.createDirectories(standIn.remoteHome().resolve("dest"));
        String output = standIn.run(List.of("scp", "-O", "-r", "tree", "host:dest"), this::tap);
        output += standIn.run(List.of("scp", "-O", "-r", "host:dest/tree", "fetched"), this::tap);

        assertThat(sink.problems).as(output).isEmpty();
        byte[] alpha = "alpha\n".getBytes();
        assertThat(sink.events).as(output).containsExactly(
                "mkdir dest/tree",
                "mkdir dest/tree/sub",
                transfer("write", "dest/tree/sub/a.txt", alpha),
                transfer("read", "dest/tree/sub/a.txt", alpha));
    }

    private FileTap tap(String command) {
        return command.equals("sftp") ? new SftpTap(sink)
                : ScpTap.forCommand(command, sink).orElseThrow(() -> new AssertionError("not scp: " + command));
    }
}
