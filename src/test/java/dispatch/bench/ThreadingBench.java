package dispatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Threading;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.EmbeddedDatabase;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Threading cost per message with ~1,000,000 stored, already threaded messages: each of 2,000 new pending mails is
 * inserted by SQL and threaded alone by {@code threadPending()}; wall time and database time (JDBC statement execution
 * plus commit, summed by a timing {@code DataSource}) per message. Three passes of as many mails: measured, timed by
 * PostgreSQL's own clock, and profiled (each call attributed to its statement). Run with
 * {@code ./mvnw -Pbench test -Dtest=ThreadingBench}.
 */
@DispatchIntegrationTest
class ThreadingBench {

    static final int INCIDENTS = Integer.getInteger("bench.incidents", 150_000);
    static final int PENDING = Integer.getInteger("bench.pending", 2_000);
    static final int POLES = Integer.getInteger("bench.poles", 200_000);
    /**
     * Incidents opened by the pending mails that stay open: beyond these the oldest is closed, as dispatchers close
     * them. Without it, every incident a run opens in seconds would still be open and within the 12-hour assignment
     * window (thousands for two dispatchers, a month's volume), and the dispatcher pick, which counts them, would
     * measure that pile-up. 100 is 50 per dispatcher.
     */
    static final int OPEN_RECENT = Integer.getInteger("bench.openRecent", 100);

    static final AtomicLong DB_NANOS = new AtomicLong();
    static final AtomicLong STATEMENTS = new AtomicLong();
    static final Map<String, long[]> PER_SQL = new ConcurrentHashMap<>();
    /** Every timed call of every mail: SQL to its durations, and the current mail's calls in order. */
    static final Map<String, List<Long>> SQL_SAMPLES = new ConcurrentHashMap<>();

    static final List<String> MAIL_TRACE = new ArrayList<>();
    static volatile boolean PROFILING;
    private static final List<String> SUMMARY = new ArrayList<>();

    static {
        // Before the embedded server starts: its csv log gives PostgreSQL's own statement durations (StatementLog).
        System.setProperty(
                EmbeddedDatabase.STATEMENT_LOG,
                Path.of("target", "bench", "postgres-log").toAbsolutePath().toString());
    }

    @Autowired
    Threading threading;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @TestConfiguration
    static class TimingDataSource {
        @Bean
        static BeanPostProcessor timingDataSourcePostProcessor() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DataSource ds && !(bean instanceof Timed) ? new Timed(ds) : bean;
                }
            };
        }
    }

    /** Sums the time spent in JDBC statement execution and commit/rollback, i.e. round trips to PostgreSQL. */
    static final class Timed extends DelegatingDataSource {
        Timed(DataSource target) {
            super(target);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return wrap(Connection.class, super.getConnection());
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return wrap(Connection.class, super.getConnection(user, password));
        }

        static <T> T wrap(Class<T> type, T target) {
            return wrap(type, target, null);
        }

        @SuppressWarnings("unchecked")
        static <T> T wrap(Class<T> type, T target, String preparedSql) {
            InvocationHandler handler = (proxy, method, args) -> {
                String name = method.getName();
                boolean timed = name.startsWith("execute") || name.equals("commit") || name.equals("rollback");
                long start = timed ? System.nanoTime() : 0;
                Object result;
                try {
                    result = method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                } finally {
                    if (timed) {
                        long spent = System.nanoTime() - start;
                        DB_NANOS.addAndGet(spent);
                        if (name.startsWith("execute")) STATEMENTS.incrementAndGet();
                        if (PROFILING) {
                            String sql = preparedSql != null
                                    ? preparedSql
                                    : args != null && args.length > 0 && args[0] instanceof String s ? s : name;
                            long[] stat =
                                    PER_SQL.computeIfAbsent(sql.strip().replaceAll("\\s+", " "), k -> new long[2]);
                            synchronized (stat) {
                                stat[0]++;
                                stat[1] += spent;
                            }
                            String key = sql.strip().replaceAll("\\s+", " ");
                            SQL_SAMPLES
                                    .computeIfAbsent(key, k -> new ArrayList<>())
                                    .add(spent);
                            MAIL_TRACE.add(String.format("%.2f %s", spent / 1e6, shorten(key, 70)));
                        }
                    }
                }
                String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
                if (result instanceof CallableStatement s) return wrap(CallableStatement.class, s, sql);
                if (result instanceof PreparedStatement s) return wrap(PreparedStatement.class, s, sql);
                if (result instanceof Statement s && method.getReturnType() == Statement.class)
                    return wrap(Statement.class, s, null);
                return result;
            };
            return (T) Proxy.newProxyInstance(ThreadingBench.class.getClassLoader(), new Class<?>[] {type}, handler);
        }
    }

    @Test
    void threadingCostPerMessage() throws IOException, InterruptedException {
        long start = System.nanoTime();
        generate();
        long mails = jdbc.queryForObject("select count(*) from email_message", Long.class);
        long refs = jdbc.queryForObject("select count(*) from email_reference", Long.class);
        report(
                "Stored: %,d threaded mails, %,d references, %,d incidents, %,d poles, generated + analyzed in %.0f s",
                mails, refs, INCIDENTS, POLES, (System.nanoTime() - start) / 1e9);

        if (Boolean.getBoolean("bench.genericPlans")) {
            // Experiment: every session of the embedded server plans prepared statements once (generic plans).
            jdbc.execute("alter system set plan_cache_mode = force_generic_plan");
            jdbc.execute("select pg_reload_conf()");
            report("plan_cache_mode = force_generic_plan for the whole server");
        }
        Random random = new Random(42);
        String[] parents = {"m777.4@bench.example", "m777.1@bench.example", "m777.3@bench.example", "gone1@x.example"};
        String[] asked = {
            "m777.4@bench.example", "m777.1@bench.example", "m777.3@bench.example", "gone1@x.example", "new5@op.example"
        };
        Timestamp now = new Timestamp(System.currentTimeMillis());
        // The measured pass runs without the per-statement attribution: that bookkeeping (regular expressions over
        // the SQL, traces) runs in this JVM between the calls and shows up in their timing; the profiled pass below
        // has it.
        Pass pass = threadPending(random, 0, false);
        long[] db = pass.db();
        int[] kindOf = pass.kindOf();
        int[] kinds = new int[5];
        for (int kind : kindOf) kinds[kind]++;
        report(
                "Pending: %,d mails threaded one at a time (In-Reply-To %d, References only %d, subject code %d,"
                        + " new %d, auto-reply %d); %.1f JDBC statements per mail; of the incidents they open the last"
                        + " %d stay open",
                PENDING,
                kinds[0],
                kinds[1],
                kinds[2],
                kinds[3],
                kinds[4],
                pass.statements() / (double) PENDING,
                OPEN_RECENT);
        report("  per-mail wall time (threadPending): %s", percentiles(pass.wall()));
        report("  per-mail database time:              %s", percentiles(db));
        // Where the tail is: the first mails run on a cold JIT and cold caches; mails that open an incident do more.
        int warm = Math.min(200, PENDING / 10);
        report(
                "  database time after the first %d mails: %s",
                warm, percentiles(Arrays.copyOfRange(db, warm, PENDING)));
        // A freshly started service warms up over thousands of mails (JIT, caches), not hundreds.
        for (int q = 0; q < 4; q++) {
            report(
                    "  database time, mails %,d to %,d: %s",
                    q * PENDING / 4 + 1,
                    (q + 1) * PENDING / 4,
                    percentiles(Arrays.copyOfRange(db, q * PENDING / 4, (q + 1) * PENDING / 4)));
        }
        long[] unpaused = IntStream.range(0, PENDING)
                .filter(i -> !pass.paused()[i])
                .mapToLong(i -> db[i])
                .toArray();
        // Database time is timed in this JVM: a garbage-collection pause during a JDBC call counts as database time.
        report(
                "  database time of the %,d mails without a JVM garbage-collection pause (%,d had one): %s",
                unpaused.length, PENDING - unpaused.length, percentiles(unpaused));
        report("  noise floor, 9 x `select 1` and a commit per iteration: %s", percentiles(trivialRoundTrips()));
        String[] kindNames = {"In-Reply-To", "References only", "subject code", "new", "auto-reply"};
        for (int k = 0; k < kindNames.length; k++) {
            int kind = k;
            long[] ofKind = IntStream.range(0, PENDING)
                    .filter(i -> kindOf[i] == kind)
                    .mapToLong(i -> db[i])
                    .toArray();
            if (ofKind.length > 0) report("  database time, %s: %s", kindNames[k], percentiles(ofKind));
        }
        serverSideDatabaseTime(random);
        Pass profiled = threadPending(random, 2 * PENDING, true);
        report(
                "Third pass, %,d more mails with every call attributed to its statement (bookkeeping in the JVM"
                        + " between the calls): database time %s",
                PENDING, percentiles(profiled.db()));
        jdbc.queryForList(
                        "select match_method, count(*) from email_message where id > (select max(id) - ? from"
                                + " email_message) group by 1 order by 2 desc",
                        PENDING)
                .forEach(r -> report("  %s", r));
        explainCaptured(
                "Conversations.of (In-Reply-To, References and replies with their incidents in one query)",
                "null as answers from email_message",
                parents,
                asked,
                asked);
        explainCaptured(
                "IncidentStore.byCodes (a lateral byCode per code)", "unnest(cast(? as text[])) c(code)", (Object)
                        new String[] {"INC-5000", "DISPATCH-3000"});
        String[] tokens = {"50777-01", "MO0777"};
        explainCaptured(
                "TowerStore.lookUp (poles, prefix matches, base stations of all tokens in one query)",
                "cross join lateral ( select p.id",
                tokens,
                new String[] {"50777-01"},
                new String[] {"50777-01%"},
                5,
                tokens);
        explainCaptured(
                "IncidentStore.open (the opening insert, with the report triggers it fires)",
                "opened as (",
                // :now, :assign, :since of the dispatcher pick, then the incident's columns.
                now,
                true,
                new Timestamp(now.getTime() - 12 * 3600_000L),
                "INC",
                now,
                "Нет связи на опоре 70001-02",
                null,
                null,
                null,
                null,
                // No mail to link (:mail, :method, :detail).
                null,
                null,
                null);
        report("Statements by SQL (third pass), per mail (count, ms of database time), heaviest first:");
        PER_SQL.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .forEach(e -> report(
                        "  %6.2f  %6.3f ms  %s",
                        e.getValue()[0] / (double) PENDING,
                        e.getValue()[1] / 1e6 / PENDING,
                        e.getKey().length() > 160
                                ? e.getKey().substring(0, 70) + " … "
                                        + e.getKey().substring(e.getKey().length() - 90)
                                : e.getKey()));
        report("Statements by SQL (third pass), distribution of one call (p50 / p95 / p99 / max):");
        SQL_SAMPLES.forEach((sql, samples) -> report(
                "  %s  %s",
                percentiles(samples.stream().mapToLong(Long::longValue).toArray()), shorten(sql, 90)));
        report("The 15 slowest mails of the third pass by database time, call by call (ms):");
        IntStream.range(0, PENDING)
                .boxed()
                .sorted((a, b) -> Long.compare(profiled.db()[b], profiled.db()[a]))
                .limit(15)
                .forEach(i -> {
                    report("  mail %d (kind %d): %.2f ms", i, profiled.kindOf()[i], profiled.db()[i] / 1e6);
                    profiled.traces().get(i).forEach(call -> report("      %s", call));
                });
        printSummary();
    }

    /** Per mail of one pass: wall and database time, its kind, whether the JVM paused for GC, its calls (profiled). */
    record Pass(long[] wall, long[] db, int[] kindOf, boolean[] paused, List<List<String>> traces, long statements) {}

    /** Inserts and threads {@link #PENDING} mails one at a time, numbered from {@code first}. */
    private Pass threadPending(Random random, int first, boolean profiling) {
        Pass pass = new Pass(
                new long[PENDING], new long[PENDING], new int[PENDING], new boolean[PENDING], new ArrayList<>(), 0);
        long statements = 0;
        PER_SQL.clear();
        SQL_SAMPLES.clear();
        for (int i = 0; i < PENDING; i++) {
            pass.kindOf()[i] = insertPending(random, first + i);
            DB_NANOS.set(0);
            long before = STATEMENTS.get();
            long pausesBefore = gcPauses();
            MAIL_TRACE.clear();
            PROFILING = profiling;
            long t = System.nanoTime();
            int threaded = threading.threadPending();
            pass.wall()[i] = System.nanoTime() - t;
            PROFILING = false;
            pass.paused()[i] = gcPauses() != pausesBefore;
            pass.db()[i] = DB_NANOS.get();
            pass.traces().add(List.copyOf(MAIL_TRACE));
            closeBeyondRecent(first + i);
            statements += STATEMENTS.get() - before;
            assertThat(threaded).isEqualTo(1);
        }
        return new Pass(pass.wall(), pass.db(), pass.kindOf(), pass.paused(), pass.traces(), statements);
    }

    private static String shorten(String sql, int max) {
        return sql.length() > max ? sql.substring(0, max) + "…" : sql;
    }

    private void generate() {
        jdbc.execute("truncate email_message, mail_folder, incident cascade");
        jdbc.execute("insert into mail_folder (account, name, role) values ('bench', 'INBOX', 'INBOX')");
        // TowerStore at production size, so the location lookups run against real indexes: codes 10001-01 ..
        // (10000 + POLES)-01 cover the poles named in the mails' subjects; each pole has a base station, every
        // second one two.
        jdbc.execute("truncate contractor, pole, base_station, operator restart identity cascade");
        jdbc.execute("insert into contractor (name) select 'АВР-' || g from generate_series(1, 200) g");
        jdbc.update("""
                insert into pole (site_id, code, region_ru, address, latitude, longitude, contractor_id)
                select g, (10000 + g) || '-01', 'Регион ' || g % 80, 'г. Город, ул. Улица, ' || g,
                       50 + (g % 1000) / 100.0, 30 + (g % 2000) / 100.0, 1 + g % 200
                from generate_series(1, ?) g""", POLES);
        jdbc.execute("insert into base_station (pole_id, name) select id, 'MO' || (10000 + id) from pole");
        jdbc.execute("insert into base_station (pole_id, name) select id, 'MO' || (10000 + id) || 'B' from pole"
                + " where id % 2 = 0");
        jdbc.execute("drop table if exists bench_thread");
        // Thread lengths 1..10, skewed long (mean ~6.5): ~975,000 mails for 150,000 incidents.
        jdbc.update(
                "create table bench_thread as select g as n, 1 + floor(9 * sqrt(random()))::int as len,"
                        + " timestamptz '2024-01-01' + g * interval '3 minutes' as at from generate_series(1, ?) g",
                INCIDENTS);
        jdbc.execute("""
                insert into incident (code, tracker_key, summary, incident_at, finished_at, registration_method,
                    created_at)
                overriding system value
                select n, 'INC-' || (1000 + n), case when n % 3 = 0 then 'DISPATCH-' || n end,
                       'Авария на опоре ' || (50000 + n % 9000) || '-01', at,
                       case when n % 10 < 8 then at + interval '2 days' end, 'EMAIL', at
                from bench_thread
                """.replace("select n, ", "select n, ").replace("(code,", "(id, code,"));
        jdbc.execute("select setval('incident_code_seq', 1000 + (select max(n) from bench_thread) + 1)");
        jdbc.execute("select setval(pg_get_serial_sequence('incident', 'id'), (select max(n) from bench_thread))");
        jdbc.execute("""
                insert into email_message (message_id, folder_id, uid, direction, origin, subject, from_address,
                    sent_at, received_at, in_reply_to, body_text, raw_sha256, raw_size, incident_id, match_method)
                select 'm' || t.n || '.' || k || '@bench.example', (select id from mail_folder), t.n * 10 + k,
                       case when k % 2 = 0 then 'OUTBOUND' else 'INBOUND' end, 'EXTERNAL',
                       case when k = 1 then '' else 'Re: ' end || 'Авария на опоре ' || (50000 + t.n % 9000) || '-01',
                       case when k % 2 = 0 then 'dispatch@example.test' else 'noc' || t.n % 500 || '@op' || t.n % 40
                            || '.example' end,
                       t.at + k * interval '1 hour', t.at + k * interval '1 hour',
                       case when k > 1 then 'm' || t.n || '.' || (k - 1) || '@bench.example' end,
                       'Добрый день. Нет связи на БС, просьба проверить питание. ' || repeat('Текст письма. ', 20),
                       md5(t.n || '.' || k) || md5(k || '.' || t.n), 4000 + k, t.n,
                       case when k = 1 then 'NEW_INCIDENT' else 'IN_REPLY_TO' end
                from bench_thread t, generate_series(1, t.len) k
                """);
        // References: the root and the last four parents, as mail clients trim long chains.
        jdbc.execute("""
                insert into email_reference (email_message_id, position, referenced_message_id)
                select m.id, j, 'm' || t.n || '.' || j || '@bench.example'
                from bench_thread t, generate_series(2, t.len) k,
                     lateral (select id from email_message where message_id = 'm' || t.n || '.' || k || '@bench.example') m,
                     generate_series(1, k - 1) j
                where j = 1 or j >= k - 4
                """);
        // A production database is in steady state: its rows are vacuumed and its dirty pages written out. Without
        // this, autovacuum of the freshly loaded million rows and the checkpoint after them ran during the measurement.
        // The generated incidents' report rows, as the regular refresh would have made them while they came in.
        jdbc.queryForObject("select incident_report_refresh_stale()", Integer.class);
        if (!Boolean.getBoolean("bench.skipVacuum")) {
            jdbc.execute("vacuum (analyze)");
            jdbc.execute("checkpoint");
        } else {
            jdbc.execute("analyze");
        }
    }

    /**
     * A second pass of as many mails, the same mix, with every statement's duration logged by PostgreSQL: database
     * time without the round trips and without the waits for a core that a timer in the JVM also counts.
     */
    private void serverSideDatabaseTime(Random random) throws IOException, InterruptedException {
        Optional<StatementLog> log = StatementLog.start(jdbc);
        if (log.isEmpty()) {
            report("  database time measured by PostgreSQL: not measured (the server was started without its csv log)");
            return;
        }
        long[] client = new long[PENDING];
        for (int i = 0; i < PENDING; i++) {
            insertPending(random, PENDING + i);
            DB_NANOS.set(0);
            assertThat(threading.threadPending()).isEqualTo(1);
            client[i] = DB_NANOS.get();
            closeBeyondRecent(PENDING + i);
        }
        long[] server = log.get().stop("pg_advisory_xact_lock(7262001)").stream()
                .mapToLong(Long::longValue)
                .toArray();
        report(
                "Second pass, %,d more mails of the same mix with every statement logged by PostgreSQL (%,d"
                        + " transactions found in its log):",
                PENDING, server.length);
        report("  database time measured by PostgreSQL (parse + bind + execute): %s", percentiles(server));
        report("  the same mails' database time measured in the JVM:            %s", percentiles(client));
    }

    private final ArrayDeque<Long> openedRecently = new ArrayDeque<>();

    /** Outside the timing: remembers the incident pending mail {@code i} opened, closes the oldest beyond the limit. */
    private void closeBeyondRecent(int i) {
        jdbc.queryForList(
                        "select incident_id from email_message where message_id = ?"
                                + " and match_method in ('NEW_INCIDENT', 'CONTINUES_CLOSED')",
                        Long.class,
                        "new" + i + "@op.example")
                .forEach(openedRecently::add);
        while (openedRecently.size() > OPEN_RECENT) {
            jdbc.update("update incident set finished_at = now() where id = ?", openedRecently.poll());
        }
    }

    /** One pending mail of a realistic mix; returns its kind. */
    private int insertPending(Random random, int i) {
        int incident = 1 + random.nextInt(INCIDENTS);
        int len = jdbc.queryForObject("select len from bench_thread where n = ?", Integer.class, incident);
        int k = 1 + random.nextInt(len);
        String parent = "m" + incident + "." + k + "@bench.example";
        String id = "new" + i + "@op.example";
        int roll = random.nextInt(100);
        int kind = roll < 40 ? 0 : roll < 55 ? 1 : roll < 70 ? 2 : roll < 90 ? 3 : 4;
        String subject = switch (kind) {
            case 2 -> "Re: [INC-" + (1000 + incident) + "] нет связи";
            case 3 -> "Нет связи на опоре " + (60000 + i) + "-02";
            case 4 -> "Автоответ: Re: Авария";
            default -> "Re: Авария на опоре " + (50000 + incident % 9000) + "-01";
        };
        String inReplyTo =
                kind == 0 || (kind == 4 && i % 2 == 0) ? parent : kind == 4 ? "gone" + i + "@x.example" : null;
        Long mailId = jdbc.queryForObject(
                """
                insert into email_message (message_id, folder_id, uid, direction, origin, auto_kind, subject,
                    from_address, sent_at, received_at, in_reply_to, body_text, raw_sha256, raw_size)
                values (?, (select id from mail_folder), ?, 'INBOUND', 'EXTERNAL', ?, ?, ?, now(), now(), ?,
                    'Добрый день. ' || repeat('Текст письма. ', 20), md5(?) || md5(?), 4000)
                returning id
                """,
                Long.class,
                id,
                10_000_000L + i,
                kind == 4 ? "AUTO_REPLY" : "NONE",
                subject,
                "noc" + incident % 500 + "@op" + incident % 40 + ".example",
                inReplyTo,
                id,
                id + "x");
        if (kind == 0 || kind == 1) {
            jdbc.update(
                    "insert into email_reference (email_message_id, position, referenced_message_id)"
                            + " select ?, j, 'm' || ? || '.' || j || '@bench.example' from generate_series(1, ?) j",
                    mailId,
                    incident,
                    k);
        }
        return kind;
    }

    /** EXPLAIN ANALYZE of a statement threading ran (found by a fragment of its SQL), with sample parameters. */
    private void explainCaptured(String label, String fragment, Object... params) {
        String sql = PER_SQL.keySet().stream()
                .filter(k -> k.contains(fragment))
                .findFirst()
                .orElse(null);
        if (sql == null) {
            report("EXPLAIN ANALYZE %s: not run by this version", label);
            return;
        }
        // EXPLAIN ANALYZE executes: roll the statement back (it may write).
        List<String> plan = new TransactionTemplate(transactions).execute(tx -> {
            tx.setRollbackOnly();
            return jdbc.queryForList("explain (analyze, buffers on) " + sql, String.class, params);
        });
        report("EXPLAIN ANALYZE %s:", label);
        plan.forEach(line -> report("    %s", line));
    }

    /**
     * The machine's floor: as many round trips as threading makes per mail, each doing nothing, timed the same way
     * (through the timing data source), so the tail they show is the machine's, not threading's.
     */
    private long[] trivialRoundTrips() {
        long[] nanos = new long[PENDING];
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        for (int i = 0; i < PENDING; i++) {
            DB_NANOS.set(0);
            transaction.executeWithoutResult(status -> {
                for (int k = 0; k < 9; k++) jdbc.queryForObject("select 1", Integer.class);
            });
            nanos[i] = DB_NANOS.get();
        }
        return nanos;
    }

    /** Stop-the-world collections so far (G1's concurrent cycles left out). */
    private static long gcPauses() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(gc -> !gc.getName().contains("Concurrent"))
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(
                "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms",
                at(sorted, 50), at(sorted, 95), at(sorted, 99), sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static void printSummary() throws IOException {
        List<String> block = new ArrayList<>();
        block.add("==== ThreadingBench " + LocalDate.now() + " ====");
        block.add(String.format(
                "Machine: %d cores, Java %s, embedded PostgreSQL on the same machine. Shared and noisy.",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        block.addAll(SUMMARY);
        block.add("==== end ====");
        block.forEach(System.out::println);
        Path file = Path.of("target", "bench", "ThreadingBench.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, block);
    }

    private static void report(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("[bench] " + line);
        SUMMARY.add(line);
    }
}
