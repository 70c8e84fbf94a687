package dispatch.proof;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The mail a scenario sends: threads (an opening mail from an operator, replies, sometimes the dispatch desk's own
 * answer in Sent) and, between them, auto-replies that must open nothing. Each mail knows its thread, so the checks
 * can compare what the service stored with what was sent.
 */
final class Mails {

    enum Kind {
        OPENER,
        REPLY,
        SENT_COPY,
        AUTO_REPLY
    }

    record Mail(String messageId, int thread, Kind kind, String folder, byte[] raw, long order) {}

    private Mails() {}

    /**
     * About {@code count} mails in threads numbered from {@code firstThread}, in the order they are to be delivered
     * (a reply always after what it answers). Senders spread over many addresses and domains, as a desk's are.
     */
    static List<Mail> generate(String scenario, int firstThread, int count, long seed) {
        Random random = new Random(seed);
        List<Mail> mails = new ArrayList<>();
        int thread = firstThread;
        while (mails.size() < count) {
            long slot = random.nextInt(count * 4);
            String sender = "op" + thread + "@d" + (thread % 97) + ".operator.test";
            String subject = "Нет питания на объекте " + scenario + "-" + thread;
            String opener = id(scenario, thread, 0);
            mails.add(mail(opener, thread, Kind.OPENER, "INBOX", sender, World.MAILBOX, subject, null, slot));
            String previous = opener;
            int replies = random.nextInt(4);
            for (int r = 1; r <= replies; r++) {
                slot += 1 + random.nextInt(40);
                String reply = id(scenario, thread, r);
                mails.add(mail(
                        reply, thread, Kind.REPLY, "INBOX", sender, World.MAILBOX, "Re: " + subject, previous, slot));
                previous = reply;
            }
            if (random.nextInt(10) < 3) {
                String own = id(scenario, thread, 99);
                mails.add(mail(
                        own,
                        thread,
                        Kind.SENT_COPY,
                        "Sent",
                        World.MAILBOX,
                        sender,
                        "Re: " + subject,
                        opener,
                        slot + 1 + random.nextInt(40)));
            }
            if (random.nextInt(10) == 0) {
                String auto = "auto-" + scenario + "-" + thread + "@vacation.test";
                mails.add(mail(
                        auto,
                        -1,
                        Kind.AUTO_REPLY,
                        "INBOX",
                        "robot@vacation.test",
                        World.MAILBOX,
                        "Автоответ: Re: " + subject,
                        "unknown-" + thread + "@elsewhere.test",
                        slot + random.nextInt(40)));
            }
            thread++;
        }
        mails.sort(Comparator.comparingLong(Mail::order));
        return mails;
    }

    /** {@code count} opening mails from as many senders, threads numbered from {@code firstThread}. */
    static List<Mail> openers(String scenario, int firstThread, int count) {
        List<Mail> mails = new ArrayList<>();
        for (int thread = firstThread; thread < firstThread + count; thread++) {
            String sender = "op" + thread + "@d" + (thread % 97) + ".operator.test";
            String subject = "Нет питания на объекте " + scenario + "-" + thread;
            mails.add(mail(
                    id(scenario, thread, 0),
                    thread,
                    Kind.OPENER,
                    "INBOX",
                    sender,
                    World.MAILBOX,
                    subject,
                    null,
                    thread));
        }
        return mails;
    }

    private static String id(String scenario, int thread, int n) {
        return "proof-" + scenario + "-" + thread + "-" + n + "@proof.test";
    }

    private static Mail mail(
            String messageId,
            int thread,
            Kind kind,
            String folder,
            String from,
            String to,
            String subject,
            String inReplyTo,
            long order) {
        StringBuilder h = new StringBuilder();
        h.append("Message-ID: <").append(messageId).append(">\r\n");
        h.append("Date: ")
                .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()))
                .append("\r\n");
        h.append("From: <").append(from).append(">\r\n");
        h.append("To: <").append(to).append(">\r\n");
        h.append("Subject: =?UTF-8?B?")
                .append(java.util.Base64.getEncoder().encodeToString(subject.getBytes(StandardCharsets.UTF_8)))
                .append("?=\r\n");
        if (inReplyTo != null) {
            h.append("In-Reply-To: <").append(inReplyTo).append(">\r\n");
            h.append("References: <").append(inReplyTo).append(">\r\n");
        }
        if (kind == Kind.AUTO_REPLY) {
            h.append("Auto-Submitted: auto-replied\r\n");
        }
        h.append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n");
        h.append("\r\n").append("Сообщение ").append(messageId).append(": на объекте нет питания.\r\n");
        return new Mail(messageId, thread, kind, folder, h.toString().getBytes(StandardCharsets.UTF_8), order);
    }
}
