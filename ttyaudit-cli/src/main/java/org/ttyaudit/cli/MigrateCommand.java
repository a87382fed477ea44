package org.ttyaudit.cli;

import org.ttyaudit.core.config.ConfigException;
import org.ttyaudit.core.config.ConfigNode;
import org.ttyaudit.core.config.YamlConfig;
import org.ttyaudit.recorder.pty.FileDescriptors;
import org.ttyaudit.server.AuditServer;
import org.ttyaudit.server.ServerSettings;
import org.ttyaudit.server.StoreFactory;
import org.ttyaudit.server.blob.BlobSettings;
import org.ttyaudit.server.blob.BlobStoreException;
import org.ttyaudit.server.migrate.Migration;
import org.ttyaudit.server.migrate.MigrationException;
import org.ttyaudit.server.store.StoreException;
import org.ttyaudit.server.store.postgres.PostgresSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ttyaudit migrate --from DIR --to postgres://HOST:PORT/DB}: moves a stopped server's embedded store to
 * PostgreSQL (and its chunk bytes to the S3 bucket the settings name), keeping every id and the ledger's order, so
 * that every proof and signed head stays valid (docs/DEPLOY.md, "Moving to PostgreSQL"). The settings are read as
 * the server reads them ({@link StoreFactory}, {@link BlobSettings}); credentials come from the settings file or
 * the environment, never from the command line.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Move a server's embedded store (SQLite and blobs/ in its data directory) to PostgreSQL, and"
                + " its chunk bytes to the S3 bucket of the settings' blobs: section (with blobs: type directory,"
                + " or none, they stay in DIR/blobs).",
                "Stop the server first: migrate locks the store and refuses while it is in use. The source is"
                        + " never changed. The target must be a new (empty) database; an interrupted migrate is"
                        + " continued by running the same command again.",
                "Every id, the ledger's leaves and nodes and the signed tree heads are copied as they are, so"
                        + " every proof stays valid; at the end migrate checks the row counts, the blobs and the"
                        + " ledger's root against the latest signed head and its signature.",
                "The password is never on the command line: database.password_file in --config, or"
                        + " TTYAUDIT_DATABASE_PASSWORD_FILE; the user from database.user, TTYAUDIT_DATABASE_USER or"
                        + " the URL (postgres://USER@HOST:PORT/DB).",
                "Exit 0 when the copy is complete and checked; 1 when refused or failed (the message says why);"
                        + " 2 for a usage error."})
final class MigrateCommand implements Callable<Integer> {
    private final CliContext context;

    @Option(names = "--from", required = true, paramLabel = "DIR",
            description = "The stopped server's data directory (as for 'ttyaudit server --data DIR').")
    Path from;

    @Option(names = "--to", paramLabel = "URL",
            description = "The PostgreSQL database: postgres://[USER@]HOST[:PORT]/DB (no password). Default: the"
                    + " database: section of --config, or TTYAUDIT_DATABASE_URL.")
    String to;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The settings the server will run with (server.yaml): its database: section (user,"
                    + " password_file, tls...) and blobs: section (type: s3 moves the chunk bytes to the bucket)."
                    + " TTYAUDIT_DATABASE_* and TTYAUDIT_S3_* variables override it, as for the server.")
    Path config;

    @Spec
    CommandSpec spec;

    MigrateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(from)) {
            throw UserError.usage("--from " + from + ": no such directory");
        }
        if (!Files.isRegularFile(from.resolve(AuditServer.DATABASE))) {
            throw UserError.usage("--from " + from + " is not a ttyaudit server's data directory: it has no "
                    + AuditServer.DATABASE);
        }
        if (config != null && !Files.isRegularFile(config)) {
            throw UserError.usage("--config " + config + ": no such file");
        }
        PostgresSettings database;
        BlobSettings blobs;
        BlobSettings sourceBlobs;
        try {
            ConfigNode settings = config == null ? YamlConfig.parse("", "(no --config)") : YamlConfig.read(config);
            database = database(settings.mapping("database")).orElseThrow(() -> UserError.usage("no PostgreSQL"
                    + " database to move to: give --to postgres://HOST:PORT/DB (or database.url in --config, or"
                    + " TTYAUDIT_DATABASE_URL)"));
            blobs = BlobSettings.parse(settings.mapping("blobs"), context.env()::get);
            sourceBlobs = BlobSettings.parse(sourceSettings().mapping("blobs"), context.env()::get);
        } catch (ConfigException e) {
            throw UserError.usage(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Migration.Report report;
        try (MigrateProgress progress = MigrateProgress.start(FileDescriptors.isTerminal(2), columns(),
                System.err,
                spec.commandLine().getErr(), System::nanoTime)) {
            report = new Migration(from, database, blobs, sourceBlobs, context.clock(), progress).run();
        } catch (MigrationException | StoreException | BlobStoreException e) {
            throw UserError.failure("migrate: " + e.getMessage());
        }
        out.println("migrated " + from.toAbsolutePath().normalize() + " to " + database.displayUrl()
                + (report.resumed() ? " (continuing an interrupted run)" : "") + ":");
        report.rows().forEach((table, n) -> out.println("  " + table + ": " + n + " rows"));
        out.println("  blobs: " + report.blobs() + " in " + report.blobPlace());
        out.println("  " + report.ledger());
        out.println("checked: every table has the source's row count, every chunk with content has its blob"
                + " (copied or in place), the ledger's root matches its latest signed head.");
        out.println("Next: run the server with --data " + from + " (it keeps the ledger key) and these settings;"
                + " check it with 'ttyaudit verify --data " + from + (config == null ? "" : " --config " + config)
                + "'.");
        return 0;
    }

    /**
     * The database the server would use with these settings, with --to in place of the URL (a variable that is
     * set overrides the file, as it does for the server, so --to goes in as that variable).
     */
    private Optional<PostgresSettings> database(ConfigNode section) {
        Map<String, String> env = new HashMap<>(context.env());
        if (to != null) {
            PostgresSettings.Url url;
            try {
                url = PostgresSettings.Url.parse(to);
            } catch (IllegalArgumentException e) {
                throw UserError.usage("--to: " + e.getMessage());
            }
            if (url.password() != null) {
                // not even echoed: it is in the shell's history and the process list already
                throw UserError.usage("--to: the URL holds a password; never put it on the command line: use"
                        + " database.password_file in --config or TTYAUDIT_DATABASE_PASSWORD_FILE");
            }
            env.put("TTYAUDIT_DATABASE_URL", to);
        }
        return StoreFactory.postgres(section, env);
    }

    /** The source server's own settings (DIR/server.yaml), for where its chunk bytes are. */
    private ConfigNode sourceSettings() {
        Path file = from.resolve(ServerSettings.DEFAULT_FILE_NAME);
        return Files.isRegularFile(file) ? YamlConfig.read(file) : YamlConfig.parse("", file.toString());
    }

    private int columns() {
        return context.env("COLUMNS").filter(c -> c.matches("[0-9]{2,4}")).map(Integer::parseInt).orElse(80);
    }
}
