package dispatch.standin.tracker;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An email the fake Tracker "sent" for an email comment. Like the real Tracker it starts a new thread: a fresh
 * {@code Message-ID}, no {@code In-Reply-To}/{@code References}, and the Tracker headers in {@code headers}.
 */
public record SentEmail(
        String issueKey,
        long commentId,
        String messageId,
        String from,
        List<String> to,
        List<String> cc,
        String subject,
        String text,
        List<String> attachmentNames,
        Map<String, String> headers,
        Instant sentAt)
        implements Serializable {}
