package dispatch.legacy;

import dispatch.mail.AttachmentFiles;
import dispatch.platform.SyncState;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Copies the old service's database into this one (docs/legacy-import.md): dispatchers, then incidents with their
 * history, then mails with their parts, each step in chunks of one transaction that also records how far it got
 * ({@code sync_state} {@code legacy.import.*}), so a re-run after a crash resumes there and a run after a complete one
 * changes nothing. Finally the id sequences are moved past the old maximum ids. A dry run does the same in one
 * transaction and rolls it back.
 */
final class LegacyImport {

    /** Where the import stands, kept with the data of each chunk. */
    static final String INCIDENTS_DONE = "legacy.import.incidents";

    static final String MAILS_DONE = "legacy.import.mails";

    /**
     * @param media the old media root (holding {@code emails_attachments/…}), or null to import metadata only
     * @param chunk rows per transaction
     * @param beforeCommit called inside each chunk's transaction with the step's name (a test crashes there)
     */
    record Options(
            @Nullable Path media,
            Path dataDirectory,
            String codePrefix,
            int chunk,
            boolean dryRun,
            Consumer<String> beforeCommit) {}

    private final JdbcTemplate source;
    private final JdbcTemplate target;
    private final TransactionTemplate transaction;
    private final SyncState state;

    LegacyImport(JdbcTemplate source, JdbcTemplate target, PlatformTransactionManager transactions) {
        this.source = source;
        this.target = target;
        this.transaction = new TransactionTemplate(transactions);
        this.state = new SyncState(JdbcClient.create(target));
    }

    ImportReport run(Options options) {
        ImportReport report = new ImportReport();
        if (options.dryRun()) {
            transaction.executeWithoutResult(tx -> {
                steps(options, report);
                tx.setRollbackOnly();
            });
        } else {
            steps(options, report);
        }
        return report;
    }

    private void steps(Options options, ImportReport report) {
        inChunk(tx -> new LegacyDispatchers(source, target, report).run());
        LegacyIncidents incidents = new LegacyIncidents(source, target, options.codePrefix(), report);
        resume(INCIDENTS_DONE, options, after -> incidents.chunk(after, options.chunk()));
        AttachmentFiles files =
                options.media() == null || options.dryRun() ? null : new AttachmentFiles(options.dataDirectory());
        LegacyMails mails = new LegacyMails(
                source, target, report, new LegacyAttachments(source, target, report, options.media(), files));
        resume(MAILS_DONE, options, after -> mails.chunk(after, options.chunk()));
        inChunk(tx -> moveSequences(report));
    }

    /** Runs {@code chunk} from the recorded position until it reports nothing left, one transaction each. */
    private void resume(String step, Options options, LongUnaryOperator chunk) {
        while (true) {
            Long last = transaction.execute(tx -> {
                long after = position(step);
                long reached = chunk.applyAsLong(after);
                if (reached < 0) return -1L;
                state.putText(step, Long.toString(reached));
                options.beforeCommit().accept(step);
                return reached;
            });
            if (last == null || last < 0) return;
        }
    }

    private long position(String step) {
        return state.text(step).map(Long::parseLong).orElse(0L);
    }

    private void inChunk(Consumer<TransactionStatus> work) {
        transaction.executeWithoutResult(work);
    }

    /** New incidents, mails and codes start after the old maximum ids (never moved back). */
    private void moveSequences(ImportReport report) {
        long incidents = maxId("incidents_incident");
        long mails = maxId("emails_emailmessage");
        target.queryForObject("""
                select setval(pg_get_serial_sequence('incident', 'id'), greatest(?, (select max(id) from incident),
                    pg_sequence_last_value(pg_get_serial_sequence('incident', 'id')::regclass)))
                """, Long.class, Math.max(incidents, 1));
        target.queryForObject("""
                select setval(pg_get_serial_sequence('email_message', 'id'), greatest(?,
                    (select max(id) from email_message),
                    pg_sequence_last_value(pg_get_serial_sequence('email_message', 'id')::regclass)))
                """, Long.class, Math.max(mails, 1));
        target.queryForObject(
                "select setval('incident_code_seq', greatest(?, (select last_value from incident_code_seq)))",
                Long.class,
                Math.max(incidents, 1));
        report.count("old max incident id", incidents);
        report.count("old max mail id", mails);
    }

    private long maxId(String table) {
        Long max = source.queryForObject("select max(id) from " + table, Long.class);
        return max == null ? 0 : max;
    }
}
