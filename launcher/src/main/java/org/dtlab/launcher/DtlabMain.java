package org.dtlab.launcher;

import org.dtlab.launcher.backtest.BacktestCommand;
import org.dtlab.launcher.cluster.ClusterCommand;
import org.dtlab.launcher.generate.GenerateCommand;
import org.dtlab.launcher.local.LocalCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dtlab} command. {@code bin/dtlab} builds what is missing and runs this. */
@Command(
        name = "dtlab",
        mixinStandardHelpOptions = true,
        version = "DT Lab on Flink 0.1.0-SNAPSHOT (Flink 2.2.1)",
        description = "DT Lab on Flink: a digital-twin runtime.",
        subcommands = {
            LocalCommand.class,
            ClusterCommand.class,
            KafkaCommand.class,
            BacktestCommand.class,
            GenerateCommand.class,
            TestCommand.class
        },
        footer = {"", "Run 'dtlab <command> --help' for a command's options."})
public final class DtlabMain implements Runnable {

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new DtlabMain());
        // Bad flags: one line and the usage, no stack trace.
        commandLine.setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                    cmd.getErr()
                            .println(
                                    "dtlab "
                                            + cmd.getCommandName()
                                            + ": "
                                            + e.getClass().getSimpleName()
                                            + ": "
                                            + e.getMessage());
                    return 1;
                });
        int exitCode;
        try {
            exitCode = commandLine.execute(args);
        } catch (Throwable e) {
            System.err.println("dtlab: " + e);
            exitCode = 1;
        }
        // Exit even if a component left threads behind (an embedded broker that failed to stop).
        System.exit(exitCode);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
