package dispatch.bench;

import com.sun.net.httpserver.HttpServer;
import dispatch.DispatchApplication;
import dispatch.standin.StandInsInitializer;
import dispatch.towerstore.TowerStoreImport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * TowerStore import at production scale: 200,000 poles, 200,000 contractor rows and 300,000 base station rows.
 * Not part of the build (surefire skips {@code *Bench}); run with {@code ./mvnw -q -o test -Dtest=TowerStoreImportBench
 * -Dsurefire.failIfNoSpecifiedTests=false} (add {@code -DargLine=-Xmx256m} to prove the heap bound). The reports are
 * served from files by a streaming HTTP server, so the stand-in does not hold them in this JVM's heap. Prints wall
 * time per report and the peak heap used (sampled every 10 ms) for a first import into empty tables and a second,
 * identical one.
 */
class TowerStoreImportBench {

    static final int POLES = 200_000;
    static final int STATIONS = 300_000;
    static final int CONTRACTORS = 150;

    @TempDir
    Path dir;

    @Test
    void importsTwoHundredThousandPolesAndThreeHundredThousandBaseStations() throws Exception {
        writeReports();
        HttpServer server = serve(dir);
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(DispatchApplication.class)
                .initializers(
                        new StandInsInitializer(),
                        c -> c.getEnvironment()
                                .getPropertySources()
                                .addFirst(new MapPropertySource(
                                        "bench",
                                        Map.of(
                                                "server.port", "0",
                                                "dispatch.towerstore.poles-url", base + "poles.json",
                                                "dispatch.towerstore.contractors-url", base + "contractors.json",
                                                "dispatch.towerstore.base-stations-url", base + "base_stations.json",
                                                "logging.level.dispatch.towerstore.Skips", "ERROR"))))
                .run()) {
            TowerStoreImport importer = context.getBean(TowerStoreImport.class);
            run("first import (empty tables)", importer);
            run("second import (no changes)", importer);
        } finally {
            server.stop(0);
        }
    }

    private static void run(String label, TowerStoreImport importer) throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        List<TowerStoreImport.Result> results = importer.importAll();
        long total = (System.nanoTime() - start) / 1_000_000;
        sampler.interrupt();
        sampler.join();
        System.out.printf("%n=== TowerStore %s ===%n", label);
        for (TowerStoreImport.Result r : results) {
            System.out.printf(
                    "  %-13s %6d ms  added %6d  updated %6d  removed %6d  skipped %d%s%n",
                    r.report(),
                    r.millis(),
                    r.added(),
                    r.updated(),
                    r.removed(),
                    r.skipped(),
                    r.succeeded() ? "" : "  FAILED: " + r.failure());
        }
        System.out.printf(
                "  total %d ms; heap used before %d MB, peak %d MB (max heap %d MB)%n",
                total,
                baseline >> 20,
                peak.get() >> 20,
                memory.getHeapMemoryUsage().getMax() >> 20);
    }

    private void writeReports() throws IOException {
        try (BufferedWriter poles = Files.newBufferedWriter(dir.resolve("poles.json"));
                BufferedWriter contractors = Files.newBufferedWriter(dir.resolve("contractors.json"));
                BufferedWriter stations = Files.newBufferedWriter(dir.resolve("base_stations.json"))) {
            poles.write("\uFEFF[");
            contractors.write("[");
            stations.write("[");
            int station = 0;
            for (int i = 0; i < POLES; i++) {
                String code = String.format("%05d-%02d", 10_000 + i / 3, i % 3 + 1);
                String bs = "BS" + i;
                poles.write((i == 0 ? "" : ",") + "\n{\"SiteId\": " + (100_000 + i) + ", \"Шифр\": \"" + code
                        + "\", \"Имя БС\": \"" + bs + "\", \"Статус опоры\": \"В эксплуатации\", \"Широта\": "
                        + (i % 97 == 0 ? "NaN" : String.valueOf(50 + (i % 1000) / 100.0)) + ", \"Долгота\": "
                        + (37 + (i % 500) / 100.0) + ", \"Высота опоры\": 40.0, \"Регион\": \"Moscow Region\","
                        + " \"Адрес\": \"Московская обл., д. Тестовая, уч. " + i + "\","
                        + " \"Инфраструктурная компания\": \"ООО «ВышкаИнфра»\", \"Якорный оператор\": \"МобиТел\","
                        + " \"RegionRu\": \"Московская область\"}");
                int c = i % CONTRACTORS;
                contractors.write((i == 0 ? "" : ",") + "\n{\"Подрядчик\": \"ООО «Подрядчик " + c + "»\","
                        + " \"Исключен из договора\": \"Нет\", \"Шифр опоры\": \"" + code + "\","
                        + " \"Контактные данные подрядчика Email\": \"avr" + c + "@example.test; noc" + c
                        + "@example.test\", \"Контактные данные подрядчика Телефон\": \"+7 912 "
                        + String.format("%03d", c)
                        + "-01-01\"}");
                int perPole = i % 2 == 0 ? 1 : 2; // 300,000 stations on 200,000 poles
                for (int k = 0; k < perPole && station < STATIONS; k++, station++) {
                    String name = k == 0 ? bs : "X" + bs;
                    stations.write((station == 0 ? "" : ",") + "\n{\"Шифр опоры\": \"" + code
                            + "\", \"Имя БС/Оборудование\": \"" + name + "\", \"Оператор\": \"МобиТел\","
                            + " \"Группа операторов\": \"МобиТел\"}");
                }
            }
            poles.write("\n]\n");
            contractors.write("\n]\n");
            stations.write("\n]\n");
        }
        for (String report : List.of("poles", "contractors", "base_stations")) {
            System.out.printf("%s.json: %d MB%n", report, Files.size(dir.resolve(report + ".json")) >> 20);
        }
    }

    private static HttpServer serve(Path dir) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1));
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
        });
        server.start();
        return server;
    }

    static {
        System.setProperty("file.encoding", StandardCharsets.UTF_8.name());
    }
}
