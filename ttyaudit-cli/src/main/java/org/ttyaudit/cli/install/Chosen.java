package org.ttyaudit.cli.install;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The {@code --users}/{@code --groups} options: whose logins a subcommand records. */
final class Chosen {
    @Option(names = "--users", split = ",", paramLabel = "USER", description = "Users (comma-separated).")
    List<String> users = new ArrayList<>();

    @Option(names = "--groups", split = ",", paramLabel = "GROUP",
            description = "Groups (comma-separated): their members, listed in /etc/group or by their primary group.")
    List<String> groups = new ArrayList<>();

    boolean none() {
        return users.isEmpty() && groups.isEmpty();
    }
}
