package dispatch.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/** Rows and files as intake, threading and alerts leave them, dated in the past. */
final class RetentionFixture {

    private final JdbcTemplate jdbc;
    private final Path data;
    private final long folder;

    RetentionFixture(JdbcTemplate jdbc, Path data) {
        this.jdbc = jdbc;
        this.data = data;
        this.folder = jdbc.queryForObject("""
                insert into mail_folder (account, name, role) values (?, 'INBOX', 'INBOX')
                on conflict (account, name) do update set role = excluded.role returning id""", Long.class, "retention-" + UUID.randomUUID());
    }

    /** An incident closed {@code ago} (null: open). */
    long incident(Duration closedAgo) {
        String code = "RET-" + UUID.randomUUID().toString().substring(0, 8);
        return jdbc.queryForObject(
                """
                insert into incident (code, incident_at, registration_method, finished_at)
                values (?, now() - interval '800 days', 'EMAIL', now() - cast(? as interval)) returning id""", Long.class, code, closedAgo == null ? null : closedAgo.toSeconds() + " seconds");
    }

    /** A stored mail with its raw file (written long ago) under a fresh hash; returns the mail's id. */
    long mail(Long incidentId, String matchMethod) throws IOException {
        String sha = newHash();
        writeOld(rawFile(sha));
        return jdbc.queryForObject(
                """
                insert into email_message (message_id, folder_id, uid, direction, origin, raw_sha256, raw_size,
                                           incident_id, match_method, stored_at)
                values (?, ?, ?, 'INBOUND', 'EXTERNAL', ?, 10, ?, ?, now() - interval '400 days') returning id""",
                Long.class,
                "<" + sha + "@retention.test>",
                folder,
                (long) (Math.random() * 1_000_000_000),
                sha,
                incidentId,
                matchMethod);
    }

    String rawHash(long mailId) {
        return jdbc.queryForObject("select raw_sha256 from email_message where id = ?", String.class, mailId);
    }

    /** An attachment of the mail whose file has this hash (a new file when absent). */
    String attachment(long mailId, String sha) throws IOException {
        String hash = sha == null ? newHash() : sha;
        writeOld(attachmentFile(hash));
        jdbc.update("""
                insert into email_attachment (email_message_id, position, file_name, content_type, size, sha256)
                values (?, (select count(*) from email_attachment where email_message_id = ?), 'a.pdf',
                        'application/pdf', 10, ?)""", mailId, mailId, hash);
        return hash;
    }

    void parked(long mailId, Duration ago) {
        jdbc.update("""
                insert into threading_failure (email_message_id, state, attempts, reason, first_failed_at, failed_at)
                values (?, 'PARKED', 1, 'no idea', now() - cast(? as interval), now() - cast(? as interval))""", mailId, ago.toSeconds() + " seconds", ago.toSeconds() + " seconds");
    }

    /** A quarantined mail stored {@code ago}; returns its raw file's hash. */
    String quarantined(Duration ago) throws IOException {
        String sha = newHash();
        writeOld(rawFile(sha));
        jdbc.update("""
                insert into mail_quarantine (folder_id, uidvalidity, uid, raw_sha256, raw_size, reason, created_at)
                values (?, 1, ?, ?, 10, 'unparseable', now() - cast(? as interval))""", folder, (long) (Math.random() * 1_000_000_000), sha, ago.toSeconds() + " seconds");
        return sha;
    }

    Path rawFile(String sha) {
        return data.resolve("raw")
                .resolve(sha.substring(0, 2))
                .resolve(sha.substring(2, 4))
                .resolve(sha + ".eml.gz");
    }

    Path attachmentFile(String sha) {
        return data.resolve("attachments")
                .resolve(sha.substring(0, 2))
                .resolve(sha.substring(2, 4))
                .resolve(sha);
    }

    /** Written before the run, as files of old mail are (a file touched just now is left alone). */
    private static void writeOld(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "bytes of " + file.getFileName());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(400))));
    }

    private static String newHash() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
