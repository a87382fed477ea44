package org.ttyaudit.cli.remote;

import org.ttyaudit.cli.CliContext;
import org.ttyaudit.cli.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit logout}: revokes the API token saved by {@code ttyaudit login}
 * ({@code DELETE /api/v1/tokens/{id}}) and removes the {@link ClientConfigFile}.
 *
 * <p>When the server cannot be reached the file is kept (the token is still valid, and removing the only copy
 * would leave it valid with no way to revoke it from here); {@code --local} removes it anyway. A token in
 * {@code TTYAUDIT_TOKEN} is not touched: it belongs to whoever set it.
 */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Revoke the API token saved by 'ttyaudit login' and remove it from this machine.")
public final class LogoutCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--local", description = "Only remove the saved token, without asking the server to revoke it "
            + "(for a server that is gone).")
    boolean local;

    @Spec
    CommandSpec spec;

    LogoutCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClientConfigFile file = ClientConfigFile.locate(context.env());
        if (context.env(ServerTarget.ENV_TOKEN).isPresent()) {
            err.println("ttyaudit: note: " + ServerTarget.ENV_TOKEN + " is set; logout does not revoke that token");
        }
        Optional<ClientConfig> saved;
        if (local) {
            saved = Optional.empty();
        } else {
            saved = file.read();
            if (saved.isEmpty()) {
                out.println("Not logged in (no " + file.path() + ").");
                return 0;
            }
        }
        if (saved.isPresent()) {
            revoke(saved.get(), file, err);
        }
        boolean removed = file.delete();
        if (local) {
            out.println(removed ? "Removed " + file.path() + " (the token was not revoked on the server)."
                    : "Not logged in (no " + file.path() + ").");
        } else {
            out.println("Logged out of " + saved.get().server() + ".");
        }
        return 0;
    }

    private static void revoke(ClientConfig c, ClientConfigFile file, PrintWriter err) {
        if (c.tokenId() == null) {
            err.println("ttyaudit: warning: " + file.path() + " does not say which token it holds; it is removed "
                    + "but not revoked (revoke it in the web UI)");
            return;
        }
        try {
            ServerClient.of(new ServerTarget(c.server(), c.fingerprint(), c.token(), file.path().toString()))
                    .delete("/api/v1/tokens/" + URLEncoder.encode(c.tokenId(), StandardCharsets.UTF_8));
        } catch (ServerException e) {
            if (e.status() == 401 || e.status() == 404) {
                err.println("ttyaudit: the saved token had already expired or been revoked");
                return;
            }
            throw UserError.failure("the token could not be revoked: " + e.getMessage() + "; it is still saved in "
                    + file.path() + " ('ttyaudit logout --local' removes it without revoking)");
        }
    }
}
