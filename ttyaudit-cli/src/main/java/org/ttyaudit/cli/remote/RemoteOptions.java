package org.ttyaudit.cli.remote;

import org.ttyaudit.cli.CliContext;
import org.ttyaudit.cli.UserError;
import picocli.CommandLine.Option;

import java.util.Optional;

/**
 * The {@code --server} and {@code --fingerprint} options that every command working against a server shares
 * (a picocli mixin), and the resolution of the {@link ServerTarget} from them, the environment and the saved
 * login.
 */
public final class RemoteOptions {
    @Option(names = "--server", paramLabel = "URL",
            description = "The ttyaudit server (default: $" + ServerTarget.ENV_SERVER + ", else the one of "
                    + "'ttyaudit login').")
    String server;

    @Option(names = "--fingerprint", paramLabel = "sha256:HEX",
            description = "Pin the server's certificate (default: $" + ServerTarget.ENV_FINGERPRINT + ", else the "
                    + "saved one; without one the system's CAs are trusted).")
    String fingerprint;

    /** Whether {@code --server} was given on the command line. */
    public boolean serverGiven() {
        return server != null && !server.isBlank();
    }

    /** The target, when a server is named by a flag, the environment or a saved login. */
    public Optional<ServerTarget> resolve(CliContext context) {
        ClientConfigFile file = ClientConfigFile.locate(context.env());
        return ServerTarget.resolve(server, fingerprint, context.env(), file.read(), file.path().toString());
    }

    /** The target with a token; a clear error when there is no server or no token. */
    public ServerTarget require(CliContext context) {
        return resolve(context).orElseThrow(() -> UserError.usage("no server: give --server URL, set "
                + ServerTarget.ENV_SERVER + ", or run ttyaudit login")).requireToken();
    }
}
