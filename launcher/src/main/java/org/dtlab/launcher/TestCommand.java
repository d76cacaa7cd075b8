package org.dtlab.launcher;

import picocli.CommandLine.Command;

/**
 * {@code dtlab test}: documented here so that it shows in the help; {@code bin/dtlab test} runs it
 * without building the launcher first (it builds and tests everything itself).
 */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the full test suite, exactly what CI runs: starts PostgreSQL where it is"
                    + " installed (scripts/postgres-for-tests.sh), then 'mvn -B verify'.",
            "Run it as 'bin/dtlab test' from the repository root."
        })
public final class TestCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("Run the test suite from the repository root with: bin/dtlab test");
    }
}
