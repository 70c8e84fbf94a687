package dispatch.proof;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The servers the service talks to, each a process of its own on a loopback port: PostgreSQL, the fake Tracker /
 * TowerStore / Telegram, the SMTP sink, and the Dovecot that {@code proof/run.sh} started. Each can be restarted.
 */
final class World implements AutoCloseable {

    static final String MAILBOX = "dispatch@example.test";
    static final String MAILBOX_PASSWORD = "dispatch";
    static final String ADMIN_TOKEN = "proof-admin-token-0123456789abcdef";
    static final String API_TOKEN = "proof-read-token-0123456789abcdef";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    final Ports ports;
    final Path dir;
    final Path dovecotDir;
    private final Child postgres;
    private final Child standIns;
    private final Child smtp;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Ports(
            int postgres, int tracker, int towerStore, int telegram, int inspect, int smtp, int smtpHttp, int imap) {}

    World(Ports ports, Path dir, Path dovecotDir) throws IOException {
        this.ports = ports;
        this.dir = dir;
        this.dovecotDir = dovecotDir;
        Path pids = dir.resolve("pids");
        Files.createDirectories(dir.resolve("logs"));
        postgres = new Child(
                "postgres",
                Child.javaMain(
                        "dispatch.proof.ProofDatabase",
                        "--data=" + dir.resolve("postgres"),
                        "--port=" + ports.postgres),
                Map.of(),
                dir.resolve("logs/postgres.log"),
                pids);
        standIns = new Child(
                "stand-ins",
                Child.javaMain(
                        "dispatch.standin.StandInProcess",
                        "--state=" + dir.resolve("standins"),
                        "--tracker-port=" + ports.tracker,
                        "--towerstore-port=" + ports.towerStore,
                        "--telegram-port=" + ports.telegram,
                        "--inspect-port=" + ports.inspect),
                Map.of(),
                dir.resolve("logs/standins.log"),
                pids);
        smtp = new Child(
                "smtp-sink",
                Child.javaMain(
                        "dispatch.proof.SmtpSink",
                        "--port=" + ports.smtp,
                        "--http-port=" + ports.smtpHttp,
                        "--dir=" + dir.resolve("smtp"),
                        "--mailbox=" + MAILBOX,
                        "--imap-port=" + ports.imap,
                        "--imap-password=" + MAILBOX_PASSWORD),
                Map.of(),
                dir.resolve("logs/smtp.log"),
                pids);
    }

    void start() {
        startPostgres();
        standIns.markLog().start().awaitLog("Stand-ins up", Duration.ofMinutes(2));
        startSmtp();
    }

    void startPostgres() {
        postgres.markLog().start().awaitLog("READY", Duration.ofMinutes(2));
    }

    void stopPostgres() {
        postgres.stop(Duration.ofSeconds(30));
    }

    void startSmtp() {
        smtp.markLog().start().awaitLog("READY", Duration.ofMinutes(1));
    }

    void stopSmtp() {
        smtp.stop(Duration.ofSeconds(10));
    }

    /** Stops Dovecot's master (it stops its children) and starts it again on the same port and maildir. */
    void restartDovecot(Duration down) throws IOException, InterruptedException {
        Path pidFile = dovecotDir.resolve("dovecot.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            p.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
        });
        Thread.sleep(down.toMillis());
        Process dovecot = new ProcessBuilder(
                        "dovecot",
                        "-F",
                        "-c",
                        dovecotDir.resolve("dovecot.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dovecotDir.resolve("dovecot.log").toFile()))
                .start();
        Files.writeString(pidFile, dovecot.pid() + "\n");
        for (int i = 0; i < 100; i++) {
            try (var socket = new java.net.Socket("127.0.0.1", ports.imap)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("Dovecot did not come back on " + ports.imap);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + ports.postgres + "/dispatch";
    }

    Connection db() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    /** GET on a stand-in's inspection or the sink's listing; path like {@code /tracker/issues}. */
    JsonNode inspect(String path) {
        return get("http://127.0.0.1:" + ports.inspect + path);
    }

    JsonNode sinkMessages() {
        return get("http://127.0.0.1:" + ports.smtpHttp + "/messages");
    }

    JsonNode control(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.inspect + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    }

    JsonNode get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The service's settings, as environment variables only. */
    Map<String, String> appEnvironment(String instance, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SERVER_PORT", String.valueOf(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.put("SPRING_DATASOURCE_URL", jdbcUrl());
        env.put("SPRING_DATASOURCE_USERNAME", "postgres");
        env.put("SPRING_DATASOURCE_PASSWORD", "");
        env.put("LOGGING_FILE_NAME", dir.resolve("logs/" + instance + ".log").toString());
        env.put("DISPATCH_INSTALLATIONID", "proof");
        env.put("DISPATCH_DATADIRECTORY", dir.resolve("data").toString());
        env.put("DISPATCH_MAIL_ACCOUNTS_0_NAME", "dispatch");
        env.put("DISPATCH_MAIL_ACCOUNTS_0_HOST", "127.0.0.1");
        env.put("DISPATCH_MAIL_ACCOUNTS_0_PORT", String.valueOf(ports.imap));
        env.put("DISPATCH_MAIL_ACCOUNTS_0_SECURITY", "NONE");
        env.put("DISPATCH_MAIL_ACCOUNTS_0_USERNAME", MAILBOX);
        env.put("DISPATCH_MAIL_ACCOUNTS_0_PASSWORD", MAILBOX_PASSWORD);
        env.put("DISPATCH_MAIL_ACCOUNTS_0_SENTFOLDER", "Sent");
        env.put("DISPATCH_MAIL_POLLINTERVAL", "5s");
        env.put("DISPATCH_MAIL_SMTP_HOST", "127.0.0.1");
        env.put("DISPATCH_MAIL_SMTP_PORT", String.valueOf(ports.smtp));
        env.put("DISPATCH_MAIL_SMTP_SECURITY", "NONE");
        env.put("DISPATCH_MAIL_SMTP_USERNAME", MAILBOX);
        env.put("DISPATCH_MAIL_SMTP_PASSWORD", MAILBOX_PASSWORD);
        env.put("DISPATCH_MAIL_SMTP_FROM", MAILBOX);
        env.put("DISPATCH_MAIL_SMTP_TIMEOUT", "5s");
        env.put("DISPATCH_TRACKER_BASEURL", "http://127.0.0.1:" + ports.tracker);
        env.put("DISPATCH_TRACKER_OAUTHURL", "http://127.0.0.1:" + ports.tracker + "/token");
        env.put("DISPATCH_TRACKER_ORGID", "dev-org");
        env.put("DISPATCH_TRACKER_ACCESSTOKEN", "proof-access-token");
        env.put("DISPATCH_TRACKER_QUEUE", "DISPATCH");
        env.put("DISPATCH_TRACKER_POLLINTERVAL", "2s");
        env.put("DISPATCH_TRACKER_READTIMEOUT", "5s");
        env.put("DISPATCH_TRACKER_CIRCUIT_OPENWAIT", "5s");
        env.put("DISPATCH_OUTBOX_LEASE", "20s");
        env.put("DISPATCH_OUTBOX_INITIALBACKOFF", "1s");
        env.put("DISPATCH_OUTBOX_MAXBACKOFF", "5s");
        env.put("DISPATCH_OUTBOX_MAXATTEMPTS", "1000");
        env.put("DISPATCH_AUTOREPLY_COPYWAIT", "2m");
        String towerStore = "http://127.0.0.1:" + ports.towerStore + "/reports/";
        env.put("DISPATCH_TOWERSTORE_POLESURL", towerStore + "poles.json");
        env.put("DISPATCH_TOWERSTORE_CONTRACTORSURL", towerStore + "contractors.json");
        env.put("DISPATCH_TOWERSTORE_BASESTATIONSURL", towerStore + "base_stations.json");
        env.put("DISPATCH_TELEGRAM_BASEURL", "http://127.0.0.1:" + ports.telegram);
        env.put("DISPATCH_TELEGRAM_BOTTOKEN", "123456:proof-bot");
        env.put("DISPATCH_TELEGRAM_CHATID", "-1001");
        env.put("DISPATCH_INCIDENT_DISPATCHERS", "dispatcher,petrov");
        env.put("DISPATCH_API_TOKENS_PROOF", API_TOKEN);
        env.put("DISPATCH_API_ADMINTOKENS_PROOF", ADMIN_TOKEN);
        env.put("DISPATCH_API_REQUESTSPERMINUTE", "100000"); // the reports figure asks without pause
        return env;
    }

    List<Child> children() {
        return List.of(smtp, standIns, postgres);
    }

    @Override
    public void close() {
        for (Child c : children()) {
            c.stop(Duration.ofSeconds(20));
        }
    }
}
