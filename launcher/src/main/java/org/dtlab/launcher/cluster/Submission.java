package org.dtlab.launcher.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * A job submitted to a {@code dtlab cluster}, kept in its directory so that the job can be
 * submitted again — from its newest retained checkpoint — when the JobManager that ran it is gone.
 *
 * @param parallelism the job's parallelism, or null for the cluster's default
 * @param jobId the JobID the JobManager assigned
 */
public record Submission(String jar, Integer parallelism, List<String> args, String jobId) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Submission {
        args = List.copyOf(args);
    }

    void save(ClusterDirectory dir) throws IOException {
        Path tmp = dir.submission().resolveSibling("submission.json.tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        Files.move(
                tmp,
                dir.submission(),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    static Optional<Submission> load(ClusterDirectory dir) throws IOException {
        if (!Files.isRegularFile(dir.submission())) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(dir.submission().toFile(), Submission.class));
    }

    /** This submission, running again under another JobID. */
    Submission resubmittedAs(String newJobId) {
        return new Submission(jar, parallelism, args, newJobId);
    }
}
