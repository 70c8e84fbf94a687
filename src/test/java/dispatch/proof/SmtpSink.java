package dispatch.proof;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * A standalone SMTP server that keeps every delivery: {@code --port} (SMTP, any login accepted), {@code --http-port}
 * ({@code GET /messages}: one JSON object per delivery and recipient, oldest first), {@code --dir} (the deliveries'
 * list and raw copies, kept across a restart of the sink). Mail for {@code --mailbox} is also put into that IMAP
 * mailbox's INBOX ({@code --imap-port}, {@code --imap-password}), as the real mail server does with the dispatch
 * mailbox's copy of an auto-reply; a spool directory holds it while the IMAP server is down, like an MTA queue.
 */
public final class SmtpSink {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;
    private final Path index;
    private final List<Map<String, Object>> deliveries = new ArrayList<>();

    private SmtpSink(Path dir) throws IOException {
        this.dir = dir;
        this.index = dir.resolve("deliveries.jsonl");
        Files.createDirectories(dir.resolve("spool"));
        if (Files.exists(index)) {
            for (String line : Files.readAllLines(index)) {
                if (!line.isBlank()) {
                    deliveries.add(JSON.readValue(line, Map.class));
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, "port", "http-port", "dir", "mailbox", "imap-port", "imap-password");
        String mailbox = a.get("mailbox", "");
        Running sink = start(
                Integer.parseInt(a.get("port")),
                Integer.parseInt(a.get("http-port")),
                Path.of(a.get("dir")),
                mailbox,
                mailbox.isEmpty() ? 0 : Integer.parseInt(a.get("imap-port")),
                a.get("imap-password", ""));
        Runtime.getRuntime().addShutdownHook(new Thread(sink::close));
        System.out.println(
                "READY smtp 127.0.0.1:" + sink.smtpPort + " listing http://127.0.0.1:" + sink.httpPort + "/messages");
        Thread.currentThread().join();
    }

    /** The sink's servers; {@link #close()} stops them (the deliveries stay on disk). */
    static final class Running implements AutoCloseable {
        final int smtpPort;
        final int httpPort;
        private final GreenMail greenMail;
        private final HttpServer http;
        private final ScheduledExecutorService spooler;

        private Running(GreenMail greenMail, HttpServer http, ScheduledExecutorService spooler) {
            this.greenMail = greenMail;
            this.http = http;
            this.spooler = spooler;
            this.smtpPort = greenMail.getSmtp().getPort();
            this.httpPort = http.getAddress().getPort();
        }

        @Override
        public void close() {
            spooler.shutdownNow();
            http.stop(0);
            greenMail.stop();
        }
    }

    /** Starts the sink; mail for {@code mailbox} (when not empty) goes on to that IMAP account's INBOX. */
    static Running start(int port, int httpPort, Path dir, String mailbox, int imapPort, String imapPassword)
            throws IOException {
        SmtpSink sink = new SmtpSink(dir);
        ServerSetup smtp = new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        GreenMail greenMail = new GreenMail(smtp)
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        UserManager users = greenMail.getUserManager();
        MessageDeliveryHandler normal = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, to) -> {
            sink.record(message.getMessage(), to.getEmail(), to.getEmail().equalsIgnoreCase(mailbox));
            return normal.handle(message, to);
        });
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 16);
        http.createContext("/messages", exchange -> {
            try (exchange) {
                byte[] body = JSON.writeValueAsBytes(sink.list());
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        http.start();
        ScheduledExecutorService spooler = Executors.newSingleThreadScheduledExecutor();
        if (!mailbox.isEmpty()) {
            ImapDelivery imap = new ImapDelivery(imapPort, mailbox, imapPassword, sink.dir.resolve("spool"));
            spooler.scheduleWithFixedDelay(imap::deliverSpooled, 1, 1, TimeUnit.SECONDS);
        }
        return new Running(greenMail, http, spooler);
    }

    private synchronized List<Map<String, Object>> list() {
        return List.copyOf(deliveries);
    }

    /** Keeps the delivery on disk before the SMTP session acknowledges it. */
    private synchronized void record(MimeMessage message, String recipient, boolean spool) {
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            message.writeTo(raw);
            String file = "mail-" + (deliveries.size() + 1) + ".eml";
            Files.write(dir.resolve(file), raw.toByteArray());
            if (spool) {
                Files.write(dir.resolve("spool").resolve(file), raw.toByteArray());
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("recipient", recipient.toLowerCase());
            d.put("messageId", message.getMessageID());
            d.put("inReplyTo", message.getHeader("In-Reply-To", ","));
            d.put("subject", message.getSubject());
            d.put("autoSubmitted", message.getHeader("Auto-Submitted", ","));
            d.put("file", file);
            Files.writeString(
                    index,
                    JSON.writeValueAsString(d) + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            deliveries.add(d);
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("Cannot keep the delivery to " + recipient, e);
        }
    }
}
