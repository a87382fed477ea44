package org.ttyaudit.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import org.ttyaudit.cli.CliContext;
import org.ttyaudit.cli.UserError;
import org.ttyaudit.recorder.session.HostFacts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit login}: logs in to a server with a password and saves an API token for the other commands.
 *
 * <p>Steps: ask for the password (terminal without echo, or {@code --password-stdin}); {@code POST /api/v1/login};
 * when the server says the password must be changed (the one-time admin password, a password an administrator
 * set), ask for a new one twice and {@code POST /api/v1/password}, then log in again; create an API token named
 * after this host and the time ({@code POST /api/v1/tokens}); end the login session; save server, fingerprint
 * and token in the {@link ClientConfigFile} (0600, atomically). A token saved earlier for the same server is
 * revoked once the new one is saved, so tokens do not pile up.
 *
 * <p>The token and the passwords are never printed; passwords are wiped from memory after use.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Log in to a ttyaudit server and save an API token for the other commands.",
                "The token goes to $XDG_CONFIG_HOME/ttyaudit/client.json (else ~/.config/ttyaudit/client.json), "
                        + "mode 0600; sessions, search, play, commands and export use it.",
                "The password is asked on the terminal without echo; scripts use --password-stdin (the "
                        + "password on the first line; if the server asks for a new password, it on the next "
                        + "two lines)."})
public final class LoginCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    RemoteOptions remote;

    @Option(names = "--user", paramLabel = "NAME",
            description = "Account name (default: the saved one for this server, else $USER).")
    String user;

    @Option(names = "--password-stdin", description = "Read the password from standard input instead of the "
            + "terminal.")
    boolean passwordStdin;

    @Option(names = "--token-days", paramLabel = "N",
            description = "How long the API token is valid, in days (default: the server's, 90; at most 366).")
    Integer tokenDays;

    @Spec
    CommandSpec spec;

    LoginCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (tokenDays != null && (tokenDays < 1 || tokenDays > 366)) {
            throw UserError.usage("--token-days must be between 1 and 366, not " + tokenDays);
        }
        ClientConfigFile file = ClientConfigFile.locate(context.env());
        Optional<ClientConfig> saved = readSaved(file, err);
        // The environment's token plays no part here: login makes a new one.
        Map<String, String> env = new java.util.HashMap<>(context.env());
        env.remove(ServerTarget.ENV_TOKEN);
        ServerTarget target = ServerTarget.resolve(remote.server, remote.fingerprint, env, saved,
                        file.path().toString())
                .orElseThrow(() -> UserError.usage("which server? give --server URL (or set "
                        + ServerTarget.ENV_SERVER + ")"));
        Optional<ClientConfig> previous = saved.filter(c -> c.server().equals(target.url()));
        String name = accountName(previous);

        PasswordInput input = passwordStdin ? PasswordInput.fromStdin(context.stdin())
                : PasswordInput.fromConsole(context.console().orElse(null));
        ServerClient anonymous = new ServerClient(target.url(), ServerClient.tls(target.fingerprint()), null);
        char[] password = input.read("Password for " + name + " at " + target.url() + ": ", "password");
        JsonNode created;
        String role;
        try {
            JsonNode login = login(anonymous, name, password);
            if (login.path("account").path("must_change_password").asBoolean(false)) {
                err.println("ttyaudit: the server asks " + name + " to choose a new password.");
                err.flush();
                char[] fresh = input.readNew(name);
                try {
                    anonymous.withToken(login.path("token").asText()).postJson("/api/v1/password",
                            JsonBody.of("current_password", password, "new_password", fresh));
                } catch (ServerException e) {
                    Arrays.fill(fresh, '\0');
                    throw UserError.failure("the server did not accept the new password: " + e.getMessage());
                }
                Arrays.fill(password, '\0');
                password = fresh;
                login = login(anonymous, name, password);
            }
            role = login.path("account").path("role").asText("?");
            ServerClient session = anonymous.withToken(login.path("token").asText());
            try {
                created = session.postJson("/api/v1/tokens", JsonBody.of("name", tokenName(name),
                        "ttl_days", tokenDays));
            } finally {
                endLoginSession(session);
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        String token = created.path("token").asText(null);
        if (token == null || token.isBlank()) {
            throw UserError.failure("the server made no API token (its answer has no \"token\")");
        }
        ClientConfig config = new ClientConfig(target.url(), target.fingerprint(), token,
                created.path("id").asText(null), name);
        file.write(config);
        previous.ifPresent(p -> revokePrevious(p, config, err));
        out.println("Logged in to " + target.url() + " as " + SafeText.of(name) + " (" + SafeText.of(role) + ").");
        out.println("API token '" + SafeText.of(created.path("name").asText()) + "' (valid until "
                + SafeText.of(created.path("expires_at").asText("?")) + ") saved in " + file.path()
                + "; 'ttyaudit logout' revokes it.");
        return 0;
    }

    private static Optional<ClientConfig> readSaved(ClientConfigFile file, PrintWriter err) {
        try {
            return file.read();
        } catch (UserError e) {
            err.println("ttyaudit: warning: " + e.getMessage() + "; it will be replaced");
            return Optional.empty();
        }
    }

    private String accountName(Optional<ClientConfig> previous) {
        if (user != null && !user.isBlank()) {
            return user.trim();
        }
        Optional<String> savedName = previous.map(ClientConfig::user).filter(u -> !u.isBlank());
        return savedName.or(() -> context.env("USER")).or(() -> context.env("LOGNAME"))
                .orElse(System.getProperty("user.name"));
    }

    private static JsonNode login(ServerClient anonymous, String name, char[] password) {
        try {
            return anonymous.postJson("/api/v1/login", JsonBody.of("name", name, "password", password));
        } catch (ServerException e) {
            if (e.status() == 401) {
                throw UserError.failure("login to " + anonymous.url() + " as " + SafeText.of(name) + " failed: "
                        + e.getMessage());
            }
            throw e;
        }
    }

    /** "ttyaudit login alice@web-1 2026-11-25T10:31:57Z": which machine holds the token, and since when. */
    private String tokenName(String name) {
        String n = "ttyaudit login " + name + "@" + HostFacts.hostName() + " "
                + Instant.now(context.clock()).truncatedTo(ChronoUnit.SECONDS);
        return n.length() > 100 ? n.substring(0, 100) : n;
    }

    /** The login session was only needed to make the token; end it rather than leave it valid. */
    private static void endLoginSession(ServerClient session) {
        try {
            session.postJson("/api/v1/logout", JsonBody.of());
        } catch (ServerException e) {
            // it expires by itself; the token is what matters
        }
    }

    private static void revokePrevious(ClientConfig previous, ClientConfig now, PrintWriter err) {
        if (previous.tokenId() == null || previous.tokenId().equals(now.tokenId())) {
            return;
        }
        try {
            ServerClient.of(new ServerTarget(previous.server(), previous.fingerprint(), previous.token(), "saved"))
                    .delete("/api/v1/tokens/" + java.net.URLEncoder.encode(previous.tokenId(),
                            java.nio.charset.StandardCharsets.UTF_8));
        } catch (ServerException e) {
            if (e.status() != 401 && e.status() != 404) {   // 401/404: it had expired or was revoked already
                err.println("ttyaudit: warning: the previous API token (" + previous.tokenId()
                        + ") could not be revoked: " + e.getMessage());
            }
        }
    }
}
