package dispatch.mail;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.util.List;
import org.eclipse.angus.mail.imap.IMAPFolder;

/** The intake's fetch grouping, for the benchmark baseline (so both sides fetch the same way). */
public final class IntakePrefetch {

    private IntakePrefetch() {}

    public static void prefetch(IMAPFolder folder, List<Message> batch) throws MessagingException {
        FolderReader.prefetchSmallBodies(folder, batch);
    }
}
