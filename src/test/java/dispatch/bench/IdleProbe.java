package dispatch.bench;

import dispatch.standin.mail.MailServer;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Sends mail over SMTP at a steady rate and notes when each message's row becomes visible in {@code email_message}
 * (the database is polled every 10 ms), giving delivery-to-stored latencies.
 */
final class IdleProbe implements AutoCloseable {

    /**
     * Milliseconds from the SMTP send returning to the row being visible, sorted; a message never seen counts as
     * {@link Long#MAX_VALUE}, so it weighs in the percentiles.
     */
    record Latencies(List<Long> millis, int missing) {

        String percentile(int p) {
            int rank = (int) Math.ceil(p / 100.0 * millis.size());
            return format(millis.get(Math.max(0, rank - 1)));
        }

        String max() {
            return format(millis.get(millis.size() - 1));
        }

        private static String format(long value) {
            return value == Long.MAX_VALUE ? "(not stored)" : value + " ms";
        }
    }

    private final JdbcTemplate jdbc;
    private final Session session;
    private final Transport transport;
    private final Map<String, Long> sent = new ConcurrentHashMap<>();
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Thread watcher;
    private volatile boolean running = true;
    private long lastRowId;

    IdleProbe(JdbcTemplate jdbc, int smtpPort) throws MessagingException {
        this.jdbc = jdbc;
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(smtpPort));
        this.session = Session.getInstance(props);
        this.transport = session.getTransport("smtp");
        transport.connect();
        this.watcher = new Thread(this::watch, "idle-probe-db");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Sends {@code count} messages with Message-IDs {@code <prefix><n>@carrier.example.test}, {@code perSecond}. */
    void send(String prefix, int count, int perSecond) throws Exception {
        Address[] to = {new InternetAddress(MailServer.ADDRESS)};
        long start = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(BenchMail.small(prefix, i)));
            transport.sendMessage(message, to);
            sent.put(prefix + i + "@carrier.example.test", System.nanoTime());
        }
    }

    /** Waits until every message sent so far has been seen in the database, or the timeout passes. */
    void awaitAll(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!seen.keySet().containsAll(sent.keySet()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    Latencies measure(String prefix, int count, int perSecond) throws Exception {
        send(prefix, count, perSecond);
        awaitAll(30_000);
        List<Long> millis = new ArrayList<>();
        int missing = 0;
        for (var e : sent.entrySet()) {
            if (!e.getKey().startsWith(prefix)) continue;
            Long at = seen.get(e.getKey());
            if (at == null) {
                missing++;
                millis.add(Long.MAX_VALUE);
            } else {
                // A row can show up before the client has read SMTP's final reply: that counts as 0.
                millis.add(Math.max(0, TimeUnit.NANOSECONDS.toMillis(at - e.getValue())));
            }
        }
        millis.sort(null);
        return new Latencies(millis, missing);
    }

    private void watch() {
        while (running) {
            long now = System.nanoTime();
            jdbc.query(
                    "select id, message_id from email_message where id > ? order by id",
                    rs -> {
                        lastRowId = Math.max(lastRowId, rs.getLong(1));
                        seen.putIfAbsent(rs.getString(2), now);
                    },
                    lastRowId);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws MessagingException {
        running = false;
        watcher.interrupt();
        transport.close();
    }
}
