package dispatch.mail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Removes what retention allows (decision 0030): the raw bytes and attachment files of mail of closed incidents (the
 * rows stay and record when), parked mail and quarantined mail. Files are content-addressed and shared: one is deleted
 * only when no row that keeps its bytes names it any more, and not when intake stored the same content a moment ago.
 * Each statement handles at most 1,000 rows; files are deleted after it committed.
 */
@Service
public class MailRetention {

    /** What one call removed: rows whose raw message or attachment went, and the files deleted from disk. */
    public record Removed(long messages, long attachments, long files) {
        /** Both counts added up. */
        public Removed plus(Removed other) {
            return new Removed(messages + other.messages, attachments + other.attachments, files + other.files);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MailRetention.class);
    private static final int BATCH = 1000;
    /** A file touched this recently was just stored again by intake, whose row may not be committed yet. */
    private static final Duration RECENTLY_STORED = Duration.ofHours(1);

    private final JdbcClient jdbc;
    private final FileStore files;

    MailRetention(JdbcClient jdbc, FileStore files) {
        this.jdbc = jdbc;
        this.files = files;
    }

    /** Removes the raw messages and attachment files of the mail of these incidents; the rows stay. */
    public Removed removeFilesOf(Collection<Long> incidentIds) {
        Removed removed = new Removed(0, 0, 0);
        if (incidentIds.isEmpty()) return removed;
        Long[] ids = incidentIds.toArray(Long[]::new);
        for (Removed batch; (batch = removeFilesBatch(ids)).messages() > 0; ) {
            removed = removed.plus(batch);
        }
        return removed;
    }

    /** Deletes those of these mails that are still parked, with their files; returns how many. */
    public long deleteParked(Collection<Long> mailIds) {
        if (mailIds.isEmpty()) return 0;
        List<Hash> gone = jdbc.sql("""
                        with gone as (delete from email_message
                                       where id = any(cast(:ids as bigint[])) and match_method = 'PARKED'
                                       returning id, raw_sha256, raw_removed_at)
                        select 'RAW' as kind, raw_sha256 as sha256 from gone where raw_removed_at is null
                        union all
                        select 'ATTACHMENT', a.sha256 from email_attachment a join gone g on g.id = a.email_message_id
                         where a.sha256 is not null and a.file_removed_at is null
                        union all
                        select 'MESSAGE', null from gone
                        """)
                .param("ids", mailIds.toArray(Long[]::new))
                .query(Hash.class)
                .list();
        deleteUnused(gone);
        return gone.stream().filter(h -> h.kind() == Hash.Kind.MESSAGE).count();
    }

    /** Deletes quarantined mail stored before {@code cutoff} (replayed or not), with its raw file; returns how many. */
    public long deleteQuarantinedBefore(Instant cutoff) {
        long deleted = 0;
        for (List<Hash> gone; !(gone = deleteQuarantinedBatch(cutoff)).isEmpty(); ) {
            deleteUnused(gone);
            deleted += gone.size();
        }
        return deleted;
    }

    private Removed removeFilesBatch(Long[] incidentIds) {
        List<Hash> removed = jdbc.sql("""
                        with picked as (select id from email_message
                                         where incident_id = any(cast(:ids as bigint[])) and raw_removed_at is null
                                         order by id limit :limit for update skip locked),
                             raw as (update email_message m set raw_removed_at = now() from picked p
                                      where m.id = p.id returning m.raw_sha256),
                             attachment as (update email_attachment a set file_removed_at = now() from picked p
                                             where a.email_message_id = p.id and a.sha256 is not null
                                               and a.file_removed_at is null
                                             returning a.sha256)
                        select 'RAW' as kind, raw_sha256 as sha256 from raw
                        union all
                        select 'ATTACHMENT', sha256 from attachment
                        """)
                .param("ids", incidentIds)
                .param("limit", BATCH)
                .query(Hash.class)
                .list();
        long files = deleteUnused(removed);
        long raw = removed.stream().filter(h -> h.kind() == Hash.Kind.RAW).count();
        return new Removed(raw, removed.size() - raw, files);
    }

    private List<Hash> deleteQuarantinedBatch(Instant cutoff) {
        return jdbc.sql("""
                        delete from mail_quarantine
                         where id in (select id from mail_quarantine where created_at < :cutoff
                                       order by id limit :limit for update skip locked)
                        returning 'RAW' as kind, raw_sha256 as sha256
                        """)
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", BATCH)
                .query(Hash.class)
                .list();
    }

    /** A file a removed row named. */
    record Hash(Kind kind, String sha256) {
        enum Kind {
            RAW,
            ATTACHMENT,
            MESSAGE
        }
    }

    /** Deletes the named files that no row keeping its bytes still names; returns how many were deleted. */
    private long deleteUnused(List<Hash> removed) {
        Set<String> raw = hashes(removed, Hash.Kind.RAW);
        Set<String> attachments = hashes(removed, Hash.Kind.ATTACHMENT);
        long deleted = 0;
        for (String sha : unused(raw, """
                select h from unnest(cast(:hashes as char(64)[])) h
                 where not exists (select 1 from email_message m where m.raw_sha256 = h and m.raw_removed_at is null)
                   and not exists (select 1 from mail_quarantine q where q.raw_sha256 = h)
                   and not exists (select 1 from mail_inbound i where i.raw_sha256 = h)
                """)) {
            deleted += delete(files.rawPath(sha));
        }
        for (String sha : unused(attachments, """
                select h from unnest(cast(:hashes as char(64)[])) h
                 where not exists (select 1 from email_attachment a where a.sha256 = h and a.file_removed_at is null)
                """)) {
            deleted += delete(files.attachmentPath(sha));
        }
        return deleted;
    }

    private List<String> unused(Set<String> hashes, String sql) {
        if (hashes.isEmpty()) return List.of();
        return jdbc.sql(sql)
                .param("hashes", hashes.toArray(String[]::new))
                .query(String.class)
                .list();
    }

    private static int delete(Path file) {
        try {
            if (!Files.exists(file)) return 0;
            if (Files.getLastModifiedTime(file)
                    .toInstant()
                    .isAfter(Instant.now().minus(RECENTLY_STORED))) {
                return 0; // stored again just now, for a row that will name it
            }
            return Files.deleteIfExists(file) ? 1 : 0;
        } catch (IOException e) {
            log.warn("Retention could not delete {}: {}", file, e.toString());
            return 0;
        }
    }

    private static Set<String> hashes(List<Hash> removed, Hash.Kind kind) {
        Set<String> hashes = new TreeSet<>();
        for (Hash h : removed) {
            if (h.kind() == kind && h.sha256() != null) hashes.add(h.sha256().trim());
        }
        return hashes;
    }
}
