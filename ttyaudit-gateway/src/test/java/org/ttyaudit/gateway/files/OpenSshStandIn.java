package org.ttyaudit.gateway.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs OpenSSH's real {@code sftp}/{@code scp} client against the real remote half ({@code sftp-server}, or
 * {@code scp -t}/{@code -f} for legacy SCP) on this machine, without ssh or network: the client's {@code -S}
 * program is a shell script that hands its stdin and stdout over two FIFOs to this class, which starts the remote
 * half and relays between them like the gateway does, feeding each piece to a tap before forwarding it.
 */
final class OpenSshStandIn {
    static final Path SFTP_SERVER = Path.of("/usr/lib/openssh/sftp-server");

    private final Path dir;
    private final Path remoteHome;
    private final Path localDir;

    OpenSshStandIn(Path dir) throws IOException {
        this.dir = dir;
        this.remoteHome = Files.createDirectories(dir.resolve("remote")).toRealPath();
        this.localDir = Files.createDirectories(dir.resolve("local")).toRealPath();
    }

    Path remoteHome() {
        return remoteHome;
    }

    Path localDir() {
        return localDir;
    }

    /**
     * Runs one client command (its {@code -S} option added) in the local directory; the remote half's command
     * line ("sftp" for the subsystem) picks the tap. Returns the client's output.
     */
    String run(List<String> client, Function<String, FileTap> tapFor) throws Exception {
        Path c2s = dir.resolve("c2s"), s2c = dir.resolve("s2c"), cmd = dir.resolve("cmd");
        for (Path p : List.of(c2s, s2c, cmd)) {
            Files.deleteIfExists(p);
        }
        mkfifo(c2s);
        mkfifo(s2c);
        Path wrapper = dir.resolve("ssh-stand-in.sh");
        Files.writeString(wrapper, "#!/bin/sh\n"
                + "# the last argument is the remote command (or the subsystem name)\n"
                + "for last; do :; done\n"
                + "printf '%s' \"$last\" > '" + cmd + ".tmp' && mv '" + cmd + ".tmp' '" + cmd + "'\n"
                + "# like ssh, end when the remote half's output ends: scp waits for that before it closes its\n"
                + "# end of the socket, so the copy of its input that would hold the socket open is stopped\n"
                + "exec 3<&0\n"
                + "cat <&3 > '" + c2s + "' &\n"
                + "up=$!\n"
                + "exec 3<&-\n"
                + "cat '" + s2c + "'\n"
                + "kill $up 2>/dev/null\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        List<String> argv = new ArrayList<>(client.subList(0, 1));
        argv.add("-S");
        argv.add(wrapper.toString());
        argv.addAll(client.subList(1, client.size()));
        Process clientProcess = new ProcessBuilder(argv).directory(localDir.toFile()).redirectErrorStream(true).start();
        clientProcess.getOutputStream().close();
        StringBuilder clientOutput = new StringBuilder();
        Thread outputReader = copyText(clientProcess.getInputStream(), clientOutput);

        try (InputStream fromClient = Files.newInputStream(c2s); OutputStream toClient = Files.newOutputStream(s2c)) {
            String command = Files.readString(cmd);
            List<String> remote = command.equals("sftp") ? List.of(SFTP_SERVER.toString()) : List.of("sh", "-c", command);
            Process server = new ProcessBuilder(remote).directory(remoteHome.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            FileTap tap = tapFor.apply(command);
            Thread up = pump(fromClient, server.getOutputStream(), tap::fromClient);
            Thread down = pump(server.getInputStream(), toClient, tap::fromServer);
            down.join(60_000);
            up.join(60_000);
            server.waitFor(10, TimeUnit.SECONDS);
            tap.close();
        }
        if (!clientProcess.waitFor(60, TimeUnit.SECONDS)) {
            clientProcess.destroyForcibly();
            throw new IllegalStateException("client did not finish: " + argv);
        }
        outputReader.join(10_000);
        return clientOutput.toString();
    }

    private interface Piece {
        void accept(byte[] b, int off, int len);
    }

    private static Thread pump(InputStream in, OutputStream out, Piece tap) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (in; out) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    tap.accept(buf, 0, n);   // the tap sees a piece before it is forwarded, as in the gateway
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other end went away: the transfer is over
            }
        });
        t.start();
        return t;
    }

    private static Thread copyText(InputStream in, StringBuilder into) {
        Thread t = new Thread(() -> {
            try (in) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (into) {
                    into.append(text);
                }
            } catch (IOException e) {
                // output lost: only used in failure messages
            }
        });
        t.start();
        return t;
    }

    private static void mkfifo(Path p) throws Exception {
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        if (mk.waitFor() != 0) {
            throw new IOException("mkfifo " + p + " failed");
        }
    }

}
