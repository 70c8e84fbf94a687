package dispatch.proof;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** One instance of the production jar ({@code java -jar}), configured only by environment variables. */
final class App {

    private final Child process;
    private final int port;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    App(String name, Path jar, World world, int port) {
        this.port = port;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.process = new Child(
                name,
                List.of(java, "-Xmx512m", "-jar", jar.toString()),
                world.appEnvironment(name, port),
                world.dir.resolve("logs/" + name + ".out"),
                world.dir.resolve("pids"));
    }

    App start() {
        process.start();
        return this;
    }

    /** Waits until readiness answers 200 (bounded); false when the process died or time ran out. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.alive()) {
            try {
                HttpResponse<Void> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return true;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        return false;
    }

    void kill() {
        process.kill();
    }

    void stop() {
        process.stop(Duration.ofSeconds(40));
    }

    int port() {
        return port;
    }

    Child process() {
        return process;
    }
}
