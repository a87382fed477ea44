package org.ttyaudit.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code ttyaudit rules SUBCOMMAND}: work with alert rules (docs/RULES.md). Only {@code test} so far. */
@Command(name = "rules", mixinStandardHelpOptions = true, subcommands = RulesTestCommand.class,
        description = "Work with alert rules (docs/RULES.md).")
final class RulesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("ttyaudit: rules: name a subcommand (test)");
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_USAGE;
    }
}
