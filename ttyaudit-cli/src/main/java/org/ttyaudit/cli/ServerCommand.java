package org.ttyaudit.cli;

import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.recorder.spool.DataDirectory;
import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.ServerConfig;
import org.ttyaudit.server.blob.BlobStoreException;
import org.ttyaudit.server.web.WebAssets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit server}: runs the audit server on the embedded store until SIGTERM or SIGINT, which stop it
 * cleanly (queued commits finish, a last tree head is signed).
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Runs the audit server: ingest from recorders, storage on an embedded store, the signed "
                + "ledger, search and the HTTPS API.",
                "The first start creates an admin account and prints its one-time password."})
final class ServerCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Data directory (default: ~/.local/share/ttyaudit/server).")
    Path data;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8443",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; loopback only).")
    String listen;

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "Certificate chain (PEM); without it a self-signed certificate is made in the data "
                    + "directory and clients pin its fingerprint.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Private key of --tls-cert (PEM).")
    Path tlsKey;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Extra host name or address for the self-signed certificate (repeatable).")
    List<String> names = List.of();

    @Option(names = "--public-url", paramLabel = "URL",
            description = "How hosts reach this server (shown in enroll commands; default: from --listen).")
    String publicUrl;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (YAML: rules, notify, capture; default: server.yaml in the data directory "
                    + "when there is one). See docs/RULES.md.")
    Path settings;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path dataDir = data != null ? data : DataDirectory.resolve(null, System.getenv()).server();
        ServerConfig config;
        try {
            config = new ServerConfig(dataDir, parseListen(listen), tlsCert, tlsKey, names, publicUrl,
                    ServerConfig.DEFAULT_HEAD_INTERVAL, WebAssets.DEFAULT_ROOT, settings);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage());
        }
        AuditServer server;
        try {
            server = AuditServer.start(config, System.out);
        } catch (ConfigException | BlobStoreException e) {
            throw UserError.failure(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "ttyaudit-server-stop"));
        stopped.await();
        return 0;
    }

    static InetSocketAddress parseListen(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw UserError.usage("--listen: expected HOST:PORT, got " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw UserError.usage("--listen: not a port number: " + text.substring(colon + 1));
        }
        if (port < 0 || port > 65535) {
            throw UserError.usage("--listen: port out of range: " + port);
        }
        return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }
}
