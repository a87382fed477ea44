package org.ttyaudit.cli;

import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.gateway.Gateway;
import org.ttyaudit.gateway.access.AccessSource;
import org.ttyaudit.gateway.access.LocalAccessSource;
import org.ttyaudit.gateway.access.PolicyAccess;
import org.ttyaudit.gateway.access.ServerAccessSource;
import org.ttyaudit.recorder.session.HostFacts;
import org.ttyaudit.recorder.spool.DataDirectory;
import org.ttyaudit.recorder.upload.HostCredential;
import org.ttyaudit.recorder.upload.ServerRotation;
import org.ttyaudit.recorder.upload.IngestClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ttyaudit gateway}: the SSH gateway. Users connect with any OpenSSH client ({@code ssh -p 2222
 * alice%web1@gateway}); the gateway opens its own connection to the target and records everything it relays.
 *
 * <p>Two ways to run it: enrolled with an audit server (the default: policy and users' keys come from the
 * server, records go to it live), or standalone with {@code --config} (policy from the file's {@code gateway:}
 * section, keys from {@code --authorized-keys}, records in {@code DATA/sessions}).
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Runs the SSH gateway: users connect with ssh (user%%target@gateway), the gateway connects "
                + "to the target with its own key and records everything it relays.",
                "Enrolled hosts take the policy and users' keys from the audit server; --config runs it standalone. "
                        + "See docs/GATEWAY.md."})
final class GatewayCommand implements Callable<Integer> {
    /** How long connecting to a target may take before the user is told it failed. */
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(15);
    /** How long one question to the audit server may take: users wait for it while logging in. */
    private static final Duration SERVER_WAIT = Duration.ofSeconds(5);

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory: keys, known_hosts, spool (default: the data directory's 'gateway').")
    Path data;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:2222",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; loopback only).")
    String listen;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Standalone: a YAML file whose 'gateway:' section holds targets and rules (docs/GATEWAY.md).")
    Path config;

    @Option(names = "--authorized-keys", paramLabel = "PATTERN",
            description = "Standalone: each user's authorized_keys file, %%u is the user name "
                    + "(default: DATA/authorized_keys/%%u).")
    String authorizedKeys;

    @Option(names = "--credential-file", paramLabel = "PATH",
            description = "Host credential of an enrolled gateway (default: /etc/ttyaudit/host.json for root, "
                    + "else ~/.config/ttyaudit/host.json).")
    Path credentialFile;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "The targets' host keys, checked strictly (default: DATA/known_hosts).")
    Path knownHosts;

    @Option(names = "--masking", paramLabel = "FILE",
            description = "Secret-masking rules to use instead of the defaults (see docs/MASKING.md).")
    Path masking;

    @Override
    public Integer call() throws IOException, InterruptedException {
        // MINA logs every listen and provider choice at INFO; an operator's terminal needs only its warnings.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.sshd", "warn");
        InetSocketAddress address = ServerCommand.parseListen(listen);
        Path dir = data != null ? data : DataDirectory.resolve(null, System.getenv()).root().resolve("gateway");
        Gateway.Settings settings = new Gateway.Settings(address.getHostString(), address.getPort(), dir,
                knownHosts, Masking.load(masking), Version.current(), HostFacts.hostName(), OPEN_TIMEOUT);
        Mode mode = config != null ? standalone(dir) : enrolled();
        Gateway gateway;
        try {
            gateway = Gateway.start(settings, new PolicyAccess(mode.access()), mode.server());
        } catch (IOException e) {
            mode.access().close();
            throw UserError.failure(SessionRunner.reason(e));
        }
        printStart(System.out, gateway, settings, mode);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                gateway.close();
                mode.access().close();
            } catch (IOException e) {
                System.err.println("ttyaudit gateway: " + SessionRunner.reason(e));
            }
            stopped.countDown();
        }, "ttyaudit-gateway-stop"));
        stopped.await();
        return 0;
    }

    /** Where the policy and keys come from, and where records go (null server: stay local). */
    private record Mode(AccessSource access, IngestClient server, String description) {
    }

    private Mode standalone(Path dir) {
        ConfigNode gatewaySection;
        ConfigNode captureSection;
        try {
            ConfigNode root = YamlConfig.read(config);
            gatewaySection = root.require("gateway");
            captureSection = root.mapping("capture");
        } catch (ConfigException e) {
            throw UserError.usage(e.getMessage());
        }
        String keys = authorizedKeys != null ? authorizedKeys : dir.resolve("authorized_keys").resolve("%u").toString();
        try {
            return new Mode(new LocalAccessSource(gatewaySection, captureSection, keys), null,
                    "standalone (policy " + config + ", keys " + keys + ", records in " + dir.resolve("sessions") + ")");
        } catch (ConfigException | IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
    }

    private Mode enrolled() throws InterruptedException {
        if (authorizedKeys != null) {
            throw UserError.usage("--authorized-keys needs --config (a standalone gateway); an enrolled gateway "
                    + "takes users' keys from the audit server");
        }
        Path file = Credentials.location(credentialFile);
        HostCredential credential = Credentials.load(file, 1);
        // one rotation for both clients: a failover found by one is where the other goes too
        ServerRotation rotation = new ServerRotation(credential.servers(),
                line -> System.err.println("ttyaudit gateway: " + line));
        ServerAccessSource source = new ServerAccessSource(new IngestClient(credential, SERVER_WAIT, SERVER_WAIT,
                rotation));
        if (!source.refresh()) {
            // Not fatal: the source keeps asking, and nobody is let in until the server has answered.
            System.err.println("ttyaudit gateway: the audit server " + credential.server() + " did not answer yet; "
                    + "nobody can log in until it does");
        }
        return new Mode(source, new IngestClient(credential, rotation), "enrolled with "
                + EnrollCommand.Enrollment.describe(credential.servers()));
    }

    private static void printStart(PrintStream out, Gateway gateway, Gateway.Settings settings, Mode mode) {
        out.println("ttyaudit gateway listening on " + settings.host() + ":" + gateway.port() + ", "
                + mode.description());
        out.println("host key (users pin it in known_hosts): " + gateway.hostKeyLine());
        out.println("host key fingerprint: " + gateway.hostKeyFingerprint());
        out.println("targets must accept this key (add it to the remote users' authorized_keys): "
                + gateway.identityLine());
        out.println("targets' host keys are checked against " + settings.knownHostsFile()
                + " (add them with: ssh-keyscan -p PORT HOST >> " + settings.knownHostsFile() + ")");
        out.flush();
    }
}
