package dispatch.proof;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process the proof started: output appended to a log file, its pid added to {@code pids} so that
 * {@code proof/run.sh} can stop it even when the driver itself dies.
 */
final class Child {

    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private final Path pids;
    private Process process;
    private Instant startedAt;

    Child(String name, List<String> command, Map<String, String> env, Path log, Path pids) {
        this.name = name;
        this.command = command;
        this.env = env;
        this.log = log;
        this.pids = pids;
    }

    /** The test classpath's {@code java} running {@code mainClass} with {@code args}. */
    static List<String> javaMain(String mainClass, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(
                List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    synchronized Child start() {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            startedAt = Instant.now();
            process = pb.start();
            Files.writeString(
                    pids,
                    process.pid() + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + name, e);
        }
    }

    /** Waits until the log has a line containing {@code marker} (written after this start), or fails. */
    Child awaitLog(String marker, Duration timeout) {
        long before = logSizeAtStart();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                if (text.substring((int) Math.min(before, text.length())).contains(marker)) {
                    return this;
                }
                Thread.sleep(200);
            } catch (IOException e) {
                // not written yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " not ready within " + timeout + "; see " + log);
    }

    private long markAt;

    private long logSizeAtStart() {
        return markAt;
    }

    /** Remembers the log's size, so that {@link #awaitLog} looks only at what the next start writes. */
    Child markLog() {
        try {
            markAt = Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            markAt = 0;
        }
        return this;
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    synchronized void stop(Duration grace) {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!waitFor(grace)) {
                kill();
            }
        }
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    Instant startedAt() {
        return startedAt;
    }

    /** Resident set size in kB from /proc (0 when the process is gone). */
    long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    String name() {
        return name;
    }
}
