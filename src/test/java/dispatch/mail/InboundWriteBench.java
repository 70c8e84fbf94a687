package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.mail.InboundStore.Held;
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

/** The read stage's write alone: how a batch of staged mail is best made safe (decision 0016, update). */
@DispatchIntegrationTest
class InboundWriteBench {

    @Autowired
    InboundStore inbound;

    @Autowired
    MailStore store;

    @Autowired
    InboundSpool spool;

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
            measure("bytes in the row, JDBC batch insert       ", bodies, this::batchInsert);
            measure("batch file + COPY of names (now)         ", bodies, this::spooled);
        }
    }

    /** The write before the batch files: one JDBC batch of single-row inserts holding the bytes. */
    private void batchInsert(Batch batch) {
        jdbc.batchUpdate(
                "insert into mail_inbound (folder_id, uidvalidity, uid, internal_date, raw, raw_size)"
                        + " values (?, ?, ?, ?, ?, ?) on conflict do nothing",
                java.util.stream.IntStream.range(0, batch.bodies().size())
                        .mapToObj(i -> new Object[] {
                            batch.folder().id(),
                            batch.folder().uidValidity(),
                            batch.firstUid() + i,
                            Timestamp.from(batch.now()),
                            batch.bodies().get(i),
                            batch.bodies().get(i).length
                        })
                        .toList(),
                new int[] {Types.BIGINT, Types.BIGINT, Types.BIGINT, Types.TIMESTAMP, Types.BINARY, Types.BIGINT});
    }

    /** As the read does it: the bytes into one file, forced to disk, then one COPY of rows naming them. */
    private void spooled(Batch batch) {
        try {
            InboundSpool.Written file = spool.write(batch.bodies());
            List<Staged> rows = new ArrayList<>();
            for (int i = 0; i < batch.bodies().size(); i++) {
                rows.add(new Staged(
                        0,
                        batch.folder(),
                        batch.firstUid() + i,
                        batch.now(),
                        new Held.Spooled(file.file(), file.offsets()[i]),
                        batch.bodies().get(i).length));
            }
            inbound.copy(rows);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Batch(FolderRef folder, long firstUid, Instant now, List<byte[]> bodies) {}

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

    private void measure(String name, List<byte[]> bodies, Consumer<Batch> write) {
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
            Batch batch = new Batch(folder, i + 1, now, bodies.subList(i, Math.min(bodies.size(), i + 100)));
            long last = i + batch.bodies().size();
            tx.executeWithoutResult(t -> {
                store.lockCheckpoint(folderId);
                write.accept(batch);
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
