package org.dtlab.query.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /fitness}: whether each part the service needs answers, within a bounded time whatever is
 * down. The parts are checked at once, each on a thread of its own; a part that has not answered by
 * the deadline is reported as not answering. A check still running from an earlier call is waited
 * for again rather than started anew, so a hung part never piles up threads.
 */
public final class Fitness implements AutoCloseable {

    /** One part: a check that returns {@code null} when the part is fine, else what is wrong. */
    public interface Check {
        String problem() throws Exception;
    }

    /** A named part and its check. */
    private static final class Part {
        final String name;
        final Check check;
        CompletableFuture<String> running;

        Part(String name, Check check) {
            this.name = name;
            this.check = check;
        }
    }

    private final List<Part> parts = new ArrayList<>();
    private final Duration deadline;
    private final ExecutorService checks =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread thread = new Thread(r, "dtlab-fitness");
                        thread.setDaemon(true);
                        return thread;
                    });

    public Fitness(Duration deadline) {
        this.deadline = deadline;
    }

    /** Adds a part, named as a user knows it ("Kafka", "the journal database"). */
    public Fitness part(String name, Check check) {
        parts.add(new Part(name, check));
        return this;
    }

    /** {@code null} when every part answers fine, else what is wrong with each part that is not. */
    public String problem() {
        List<CompletableFuture<String>> answers = new ArrayList<>(parts.size());
        for (Part part : parts) {
            answers.add(start(part));
        }
        long end = System.nanoTime() + deadline.toNanos();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String problem = await(parts.get(i), answers.get(i), end);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private synchronized CompletableFuture<String> start(Part part) {
        if (part.running == null || part.running.isDone()) {
            part.running =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    String problem = part.check.problem();
                                    return problem == null ? null : part.name + ": " + problem;
                                } catch (Exception e) {
                                    return part.name + " does not answer: " + e.getMessage();
                                }
                            },
                            checks);
        }
        return part.running;
    }

    private String await(Part part, CompletableFuture<String> answer, long end) {
        try {
            return answer.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return part.name + " does not answer within " + deadline.toMillis() + " ms";
        } catch (ExecutionException e) {
            return part.name + " does not answer: " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return part.name + " was not checked: interrupted";
        }
    }

    @Override
    public void close() {
        checks.shutdownNow();
    }
}
