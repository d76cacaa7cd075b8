package org.dtlab.launcher.cluster;

import org.dtlab.launcher.StartupException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Submits a job jar to a {@code dtlab cluster} exactly as {@code bin/flink run -d} does: Flink's
 * {@code CliFrontend} in its own JVM, reading the cluster's {@code conf/} through {@code
 * FLINK_CONF_DIR}. The job's {@code main} runs in that client and ships the job graph to the
 * JobManager; the client then exits (detached mode).
 */
public final class JobSubmitter {

    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final long TIMEOUT_MINUTES = 5;

    private final ClusterDirectory dir;
    private final FlinkRuntime runtime;

    public JobSubmitter(ClusterDirectory dir, FlinkRuntime runtime) {
        this.dir = dir;
        this.runtime = runtime;
    }

    /**
     * @param jar the job jar
     * @param parallelism the job's parallelism, or null for the cluster's default
     * @param restoreFrom a savepoint or retained checkpoint to resume from, or null
     * @param jobArgs the job's own program arguments
     * @return the JobID the JobManager assigned (also recorded in the cluster directory, {@link
     *     Submission})
     */
    public String submit(Path jar, Integer parallelism, String restoreFrom, List<String> jobArgs)
            throws StartupException, IOException, InterruptedException {
        if (!Files.isRegularFile(dir.configFile())) {
            throw new StartupException(
                    "no cluster in " + dir.root() + ": start one with 'dtlab cluster start'");
        }
        if (!Files.isRegularFile(jar)) {
            throw new StartupException(
                    "no job jar at "
                            + jar
                            + ": build it with 'mvn -DskipTests package' or pass --jar");
        }
        List<String> args = new ArrayList<>(List.of("run", "--detached"));
        if (parallelism != null) {
            args.addAll(List.of("--parallelism", parallelism.toString()));
        }
        if (restoreFrom != null) {
            args.addAll(List.of("--fromSavepoint", restoreFrom));
        }
        args.add(jar.toAbsolutePath().toString());
        args.addAll(jobArgs);
        ProcessBuilder builder =
                new ProcessBuilder(
                                runtime.command(
                                        List.of(
                                                "-Dlog4j.configurationFile="
                                                        + dir.conf()
                                                                .resolve("log4j-cli.properties")
                                                                .toUri()),
                                        FlinkRuntime.CLIENT_MAIN,
                                        args))
                        .redirectErrorStream(true);
        builder.environment().put("FLINK_CONF_DIR", dir.conf().toString());
        Process client = builder.start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!client.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            client.destroyForcibly();
            throw new StartupException(
                    "the submission did not finish within "
                            + TIMEOUT_MINUTES
                            + " minutes:\n"
                            + output);
        }
        Matcher id = JOB_ID.matcher(output);
        if (client.exitValue() != 0 || !id.find()) {
            throw new StartupException(
                    "the submission failed (exit " + client.exitValue() + "): " + reason(output));
        }
        String jobId = id.group(1);
        new Submission(jar.toAbsolutePath().toString(), parallelism, jobArgs, jobId).save(dir);
        return jobId;
    }

    /**
     * Submits {@code submission} again, resuming from {@code checkpoint}, and records the new
     * JobID.
     */
    public String resubmit(Submission submission, Path checkpoint)
            throws StartupException, IOException, InterruptedException {
        return submit(
                Path.of(submission.jar()),
                submission.parallelism(),
                checkpoint.toString(),
                submission.args());
    }

    /** The most telling line of the client's output: the innermost cause, not the whole trace. */
    static String reason(String output) {
        String reason = output.strip();
        for (String line : output.lines().toList()) {
            if (line.startsWith("Caused by: ")
                    || line.startsWith("java.lang.IllegalArgumentException")) {
                reason = line.replaceFirst("^Caused by: ", "");
            }
        }
        return reason;
    }
}
