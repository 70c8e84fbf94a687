package dispatch.mail;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * An attachment or inline image of a stored mail.
 *
 * @param file where its content is, or null when it was not kept (then {@code skippedReason} says why)
 */
public record MailAttachment(
        long id,
        String fileName,
        String contentType,
        long size,
        boolean inline,
        @Nullable Path file,
        @Nullable String skippedReason) {}
