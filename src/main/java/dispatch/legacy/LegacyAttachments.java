package dispatch.legacy;

import dispatch.mail.AttachmentFiles;
import java.io.IOException;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Attachment rows (files, then inline images) of imported mails. With a media directory, each file is copied into
 * the data directory as intake stores attachments; a file outside the media directory, missing or unreadable keeps
 * its row with the reason instead.
 */
final class LegacyAttachments {

    private final JdbcTemplate source;
    private final JdbcTemplate target;
    private final ImportReport report;
    private final @Nullable Path media;
    private final @Nullable AttachmentFiles files;

    LegacyAttachments(
            JdbcTemplate source,
            JdbcTemplate target,
            ImportReport report,
            @Nullable Path media,
            @Nullable AttachmentFiles files) {
        this.source = source;
        this.target = target;
        this.report = report;
        this.media = media == null ? null : media.toAbsolutePath().normalize();
        this.files = files;
    }

    void chunk(Set<Long> wanted, long first, long last) {
        List<Object[]> rows = new ArrayList<>();
        Map<Long, Integer> positions = new HashMap<>();
        for (String[] table :
                new String[][] {{"emails_emailattachment", "false"}, {"emails_emailintextattachment", "true"}}) {
            source.query(
                    "select email_msg_id, file_url from " + table[0]
                            + " where email_msg_id between ? and ? order by email_msg_id, file_url, id",
                    rs -> {
                        long mail = rs.getLong(1);
                        if (!wanted.contains(mail)) return;
                        int position = positions.merge(mail, 1, Integer::sum) - 1;
                        rows.add(row(mail, position, rs.getString(2), Boolean.parseBoolean(table[1])));
                    },
                    first,
                    last);
        }
        target.batchUpdate("""
                insert into email_attachment (email_message_id, position, file_name, content_type, size, sha256, inline,
                    skipped_reason)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                """, rows);
        report.count("attachments", rows.size());
    }

    /** A copied file, or why there is none. */
    private record Copy(
            AttachmentFiles.@Nullable Stored stored,
            @Nullable String reason) {}

    private Object[] row(long mail, int position, String url, boolean inline) {
        String name = fileName(url);
        String type = URLConnection.guessContentTypeFromName(name);
        Copy copy = copy(url);
        if (copy.stored() != null) {
            report.count("attachment files copied", 1);
        } else if (media != null) {
            report.unmapped("attachment " + copy.reason(), "mail " + mail + " " + url);
        }
        AttachmentFiles.Stored stored = copy.stored();
        return new Object[] {
            mail,
            position,
            name,
            type == null ? "application/octet-stream" : type,
            stored == null ? 0 : stored.size(),
            stored == null ? null : stored.sha256(),
            inline,
            copy.reason()
        };
    }

    private Copy copy(String url) {
        if (media == null) return new Copy(null, "imported without its file: no media directory given");
        Path file = media.resolve(url).normalize();
        try {
            // The real path must stay inside the media directory too (a symbolic link may point anywhere).
            if (!file.startsWith(media) || !file.toRealPath().startsWith(media.toRealPath())) {
                return new Copy(null, "file path outside the media directory");
            }
            if (!Files.isRegularFile(file)) return new Copy(null, "file missing in the media directory");
            if (files == null) return new Copy(null, "found, not copied (dry run)");
            return new Copy(files.store(file), null);
        } catch (NoSuchFileException e) {
            return new Copy(null, "file missing in the media directory");
        } catch (IOException | RuntimeException e) {
            return new Copy(null, "file unreadable (" + e.getClass().getSimpleName() + ")");
        }
    }

    static String fileName(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        name = name.substring(name.lastIndexOf('\\') + 1);
        return name.isBlank() ? "attachment" : name.length() > 512 ? name.substring(name.length() - 512) : name;
    }
}
