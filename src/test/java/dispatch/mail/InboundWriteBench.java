package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.mail.InboundStore.Staged;
import dispatch.standin.DispatchIntegrationTest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The read stage's database write alone: how a batch of staged rows is best written (decision 0016, update). */
@DispatchIntegrationTest
class InboundWriteBench {

    @Autowired
    InboundStore inbound;

    @Autowired
    MailStore store;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void writeVariants() {
        int messages = Integer.getInteger("bench.write.messages", 10_000);
        Random random = new Random(1);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            byte[] b = new byte[2_000 + random.nextInt(i % 5 == 2 ? 70_000 : 3_000)];
            random.nextBytes(b);
            bodies.add(b);
        }
        System.out.printf(
                "[bench] %d rows, %.1f MB%n",
                messages, bodies.stream().mapToLong(b -> b.length).sum() / 1048576.0);
        for (int round = 1; round <= 3; round++) {
            measure("JDBC batch insert (before)", bodies, this::batchInsert);
            measure("multi-row insert          ", bodies, this::multiRowInsert);
            measure("binary COPY (InboundStore)", bodies, inbound::copy);
        }
    }

    /** The write as it was: one JDBC batch of single-row inserts. */
    private void batchInsert(List<Staged> rows) {
        jdbc.batchUpdate(
                INSERT + "(?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
                rows.stream().map(InboundWriteBench::values).toList(),
                TYPES);
    }

    /** One insert statement with a values row per message. */
    private void multiRowInsert(List<Staged> rows) {
        String values = String.join(", ", java.util.Collections.nCopies(rows.size(), "(?, ?, ?, ?, ?, ?, ?)"));
        jdbc.update(INSERT + values + " on conflict do nothing", ps -> {
            int i = 1;
            for (Staged r : rows) {
                for (Object v : values(r)) ps.setObject(i, v, TYPES[(i++ - 1) % TYPES.length]);
            }
        });
    }

    private static final String INSERT =
            "insert into mail_inbound (folder_id, uidvalidity, uid, internal_date, raw, raw_sha256, raw_size) values ";
    private static final int[] TYPES = {
        Types.BIGINT, Types.BIGINT, Types.BIGINT, Types.TIMESTAMP, Types.BINARY, Types.VARCHAR, Types.BIGINT
    };

    private static Object[] values(Staged r) {
        return new Object[] {
            r.folder().id(),
            r.folder().uidValidity(),
            r.uid(),
            Timestamp.from(r.internalDate()),
            r.raw(),
            r.rawSha256(),
            r.size()
        };
    }

    /** CPU ticks of this database's PostgreSQL processes (the postmaster's children: backends, WAL writer...). */
    private long postgresTicks() {
        long backend = jdbc.queryForObject("select pg_backend_pid()", Long.class);
        String postmaster = stat(backend)[3];
        long ticks = 0;
        try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            for (var p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                String[] f = stat(Long.parseLong(name));
                if (f != null && (f[3].equals(postmaster) || name.equals(postmaster))) {
                    ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ticks;
    }

    private static String[] stat(long pid) {
        try {
            String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", String.valueOf(pid), "stat"));
            return ("pid comm " + s.substring(s.lastIndexOf(')') + 2)).split(" ");
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private void measure(String name, List<byte[]> bodies, Consumer<List<Staged>> write) {
        jdbc.execute("truncate email_message, mail_folder, mail_quarantine, email_sighting cascade");
        jdbc.execute("checkpoint");
        long folderId = store.checkpoint("bench", "INBOX", "INBOX").folderId();
        FolderRef folder = new FolderRef("bench", FolderRole.INBOX, folderId, 1);
        TransactionTemplate tx = new TransactionTemplate(transactions);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        long pgTicks = postgresTicks();
        long start = System.nanoTime();
        Instant now = Instant.now();
        for (int i = 0; i < bodies.size(); i += 100) {
            List<Staged> rows = new ArrayList<>();
            for (int j = i; j < Math.min(bodies.size(), i + 100); j++) {
                byte[] b = bodies.get(j);
                rows.add(new Staged(0, folder, j + 1, now, b, null, b.length));
            }
            long last = i + rows.size();
            tx.executeWithoutResult(t -> {
                store.lockCheckpoint(folderId);
                write.accept(rows);
                store.advance(folderId, 1, last);
            });
        }
        long nanos = System.nanoTime() - start;
        long jvmCpu = threads.getCurrentThreadCpuTime() - cpu;
        long pgCpu = (postgresTicks() - pgTicks) * 10_000_000L; // 100 ticks a second
        assertThat(jdbc.queryForObject("select count(*) from mail_inbound", Long.class))
                .isEqualTo(bodies.size());
        System.out.printf(
                "[bench] %s: %.3f ms/msg wall, CPU %.3f ms/msg in the JVM thread, %.3f ms/msg in PostgreSQL%n",
                name, nanos / 1e6 / bodies.size(), jvmCpu / 1e6 / bodies.size(), pgCpu / 1e6 / bodies.size());
    }
}
