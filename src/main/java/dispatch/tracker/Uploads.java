package dispatch.tracker;

import dispatch.mail.MailAttachment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mail's attachments uploaded to Tracker as temporary files, and the ones that could not go: too large, or beyond
 * {@code DISPATCH_TRACKER_MAXUPLOADS}, so one delivery's work is bounded whatever the mail holds. A file a delivery
 * uploaded once is never uploaded again: its retry attaches the recorded id (decision 0014).
 */
record Uploads(List<String> ids, List<String> notUploaded) {

    /** Tracker takes files up to 1 GB; the old service, and dispatchers' browsers, stop at 50 MB. */
    static final long MAX_SIZE = 50L * 1024 * 1024;

    static Uploads of(
            String delivery, List<MailAttachment> attachments, TrackerClient client, TrackerUploads log, int max) {
        Map<Long, String> earlier = log.of(delivery);
        List<String> ids = new ArrayList<>();
        List<String> notUploaded = new ArrayList<>();
        for (MailAttachment attachment : attachments) {
            if (attachment.file() == null || attachment.size() > MAX_SIZE || ids.size() >= max) {
                notUploaded.add(MailMarkdown.notUploaded(attachment));
                continue;
            }
            String id = earlier.get(attachment.id());
            if (id == null) {
                id = client.upload(attachment.fileName(), attachment.file());
                log.record(delivery, attachment.id(), id);
            }
            ids.add(id);
        }
        return new Uploads(List.copyOf(ids), List.copyOf(notUploaded));
    }
}
