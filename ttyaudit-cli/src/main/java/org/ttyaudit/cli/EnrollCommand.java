package org.ttyaudit.cli;

import org.ttyaudit.core.transport.PinnedTls;
import org.ttyaudit.recorder.session.HostFacts;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.HostCredentialFile;
import org.ttyaudit.recorder.upload.IngestClient;
import org.ttyaudit.recorder.upload.IngestException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ttyaudit enroll}: trades an enrollment token for this host's credential and stores it. */
@Command(name = "enroll", mixinStandardHelpOptions = true,
        description = {"Enroll this host with an audit server: trade a single-use enrollment token for the host's",
                "credential and store it in the host credential file (mode 0600)."})
final class EnrollCommand implements Callable<Integer> {
    @Mixin
    Enrollment enrollment;

    @Option(names = "--credential-file", paramLabel = "PATH",
            description = "Where to store the credential (default: /etc/ttyaudit/host.json for root, else ~/.config/ttyaudit/host.json).")
    Path credentialFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        spec.commandLine().getOut().println("ttyaudit: " + enrollment.enrollInto(Credentials.location(credentialFile)));
        return 0;
    }

    /**
     * The enrollment itself, shared by {@code ttyaudit enroll} and {@code ttyaudit install enroll}: its options,
     * the token traded at the server, the credential written (mode 0600).
     */
    static final class Enrollment {
        @Option(names = "--server", paramLabel = "URL", split = ",",
                description = {"The server, e.g. https://audit.example:8443. Repeat it (or separate URLs with commas) "
                        + "for the instances of a fleet, preferred first: the host fails over to the next one when "
                        + "one cannot be reached."})
        List<String> servers;

        @Option(names = "--token", paramLabel = "TOKEN",
                description = "The enrollment token (tte_…) an administrator made; '-' reads it from standard input.")
        String token;

        @Option(names = "--fingerprint", paramLabel = "sha256:HEX",
                description = "Pin the server's certificate (a self-signed server prints its fingerprint at start-up); "
                        + "one pin for every --server (the instances of a fleet share one certificate). "
                        + "Without it, the certificate must be trusted by this system's CAs.")
        String fingerprint;

        @Option(names = "--host", paramLabel = "NAME", description = "The host's name at the server (default: this host's name).")
        String host;

        /** The servers' URLs as given, preferred first, checked (both --server and --token must be given). */
        List<URI> serverUrls() {
            if (servers == null || servers.isEmpty() || token == null) {
                throw UserError.usage("enrolling needs --server URL and --token TOKEN");
            }
            try {
                return HostCredential.checkServers(servers.stream().map(HostCredential::parseServer).toList());
            } catch (IllegalArgumentException e) {
                throw UserError.usage("--server: " + e.getMessage());
            }
        }

        /** Enrolls and writes the credential to {@code file}; returns the line saying so. */
        String enrollInto(Path file) throws IOException, InterruptedException {
            List<URI> urls = serverUrls();
            PinnedTls tls;
            try {
                tls = PinnedTls.of(fingerprint);
            } catch (IllegalArgumentException e) {
                throw UserError.usage(e.getMessage());
            }
            String secret = "-".equals(token) ? readToken() : token.trim();
            if (secret.isEmpty()) {
                throw UserError.usage("--token: the enrollment token is empty");
            }
            String name = host != null && !host.isBlank() ? host : HostFacts.hostName();
            IngestClient.Enrollment enrolled;
            try {
                enrolled = IngestClient.enroll(urls, tls, secret, name);
            } catch (IngestException e) {
                throw UserError.failure("cannot enroll: " + e.getMessage());
            }
            HostCredential credential = new HostCredential(urls, tls.pin().map(Object::toString).orElse(null),
                    enrolled.hostId(), enrolled.credential());
            try {
                HostCredentialFile.write(file, credential);
            } catch (IOException e) {
                throw UserError.failure("enrolled, but cannot write the credential to " + file + ": "
                        + SessionRunner.reason(e) + " (ask for a new token and enroll again)");
            }
            return "enrolled " + enrolled.host() + " (host id " + enrolled.hostId() + ") with " + describe(urls)
                    + "; credential written to " + file;
        }

        /** {@code https://a} or {@code https://a (then https://b, https://c)}. */
        static String describe(List<URI> urls) {
            return urls.get(0) + (urls.size() == 1 ? "" : " (then " + String.join(", ", urls.subList(1, urls.size())
                    .stream().map(URI::toString).toList()) + ")");
        }

        private static String readToken() throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            return line == null ? "" : line.trim();
        }
    }
}
