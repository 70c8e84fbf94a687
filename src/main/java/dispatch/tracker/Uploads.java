package dispatch.tracker;

import dispatch.mail.MailAttachment;
import java.util.ArrayList;
import java.util.List;

/** A mail's attachments uploaded to Tracker as temporary files, and the ones that could not go. */
record Uploads(List<String> ids, List<String> notUploaded) {

    /** Tracker takes files up to 1 GB; the old service, and dispatchers' browsers, stop at 50 MB. */
    static final long MAX_SIZE = 50L * 1024 * 1024;

    static Uploads of(List<MailAttachment> attachments, TrackerClient client) {
        List<String> ids = new ArrayList<>();
        List<String> notUploaded = new ArrayList<>();
        for (MailAttachment attachment : attachments) {
            if (attachment.file() == null || attachment.size() > MAX_SIZE) {
                notUploaded.add(MailMarkdown.notUploaded(attachment));
            } else {
                ids.add(client.upload(attachment.fileName(), attachment.file()));
            }
        }
        return new Uploads(List.copyOf(ids), List.copyOf(notUploaded));
    }
}
