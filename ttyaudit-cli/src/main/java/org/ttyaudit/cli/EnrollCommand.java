package org.ttyaudit.cli;

import org.ttyaudit.core.transport.PinnedTls;
import org.ttyaudit.recorder.session.HostFacts;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.HostCredentialFile;
import org.ttyaudit.recorder.upload.IngestClient;
import org.ttyaudit.recorder.upload.IngestException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ttyaudit enroll}: trades an enrollment token for this host's credential and stores it. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Enroll this host with an audit server: trade a single-use enrollment token for the host's",
                "credential and store it in the host credential file (mode 0600)."})
final class EnrollCommand implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "URL", required = true,
            description = "The server, e.g. https://audit.example:8443.")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", required = true,
            description = "The enrollment token (tte_…) an administrator made; '-' reads it from standard input.")
    String token;

    @Option(names = "--fingerprint", paramLabel = "sha256:HEX",
            description = "Pin the server's certificate (a self-signed server prints its fingerprint at start-up). "
                    + "Without it, the certificate must be trusted by this system's CAs.")
    String fingerprint;

    @Option(names = "--credential-file", paramLabel = "PATH",
            description = "Where to store the credential (default: /etc/ttyaudit/host.json for root, else ~/.config/ttyaudit/host.json).")
    Path credentialFile;

    @Option(names = "--host", paramLabel = "NAME", description = "The host's name at the server (default: this host's name).")
    String host;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        URI url;
        PinnedTls tls;
        try {
            url = HostCredential.parseServer(server);
            tls = PinnedTls.of(fingerprint);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        String secret = "-".equals(token) ? readToken() : token.trim();
        if (secret.isEmpty()) {
            throw UserError.usage("--token: the enrollment token is empty");
        }
        String name = host != null && !host.isBlank() ? host : HostFacts.hostName();
        IngestClient.Enrollment enrollment;
        try {
            enrollment = IngestClient.enroll(url, tls, secret, name);
        } catch (IngestException e) {
            throw UserError.failure("cannot enroll: " + e.getMessage());
        }
        Path file = Credentials.location(credentialFile);
        HostCredential credential = new HostCredential(url, tls.pin().map(Object::toString).orElse(null),
                enrollment.hostId(), enrollment.credential());
        try {
            HostCredentialFile.write(file, credential);
        } catch (IOException e) {
            throw UserError.failure("enrolled, but cannot write the credential to " + file + ": "
                    + SessionRunner.reason(e) + " (ask for a new token and enroll again)");
        }
        spec.commandLine().getOut().println("ttyaudit: enrolled " + enrollment.host() + " (host id "
                + enrollment.hostId() + ") with " + url + "; credential written to " + file);
        return 0;
    }

    private static String readToken() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        return line == null ? "" : line.trim();
    }
}
