package dispatch.proof;

import dispatch.proof.Mails.Mail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers mail into the Dovecot mailbox over IMAP APPEND, in order, spread over a duration, in chunks of one folder.
 * A chunk the server refuses (e.g. while it restarts) is tried again, a bounded number of times.
 */
final class Feeder extends Thread {

    private final ImapDelivery imap;
    private final List<Mail> mails;
    private final Duration over;
    private final int chunkSize;
    private final Map<String, Long> appendedAt = new ConcurrentHashMap<>();
    private volatile RuntimeException failure;
    private volatile int delivered;

    Feeder(World world, List<Mail> mails, Duration over) {
        this(world, mails, over, 10);
    }

    Feeder(World world, List<Mail> mails, Duration over, int chunkSize) {
        super("proof-feeder");
        setDaemon(true);
        this.imap = new ImapDelivery(world.ports.imap(), World.MAILBOX, World.MAILBOX_PASSWORD, null);
        this.mails = mails;
        this.over = over;
        this.chunkSize = chunkSize;
    }

    @Override
    public void run() {
        List<List<Mail>> chunks = new ArrayList<>();
        for (Mail m : mails) {
            List<Mail> last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
            if (last == null
                    || last.size() == chunkSize
                    || !last.get(0).folder().equals(m.folder())) {
                chunks.add(last = new ArrayList<>());
            }
            last.add(m);
        }
        long pause = over.toMillis() / Math.max(1, chunks.size());
        try {
            for (List<Mail> chunk : chunks) {
                long started = System.currentTimeMillis();
                appendWithRetries(chunk);
                long now = System.currentTimeMillis();
                chunk.forEach(m -> appendedAt.put(m.messageId(), now));
                delivered += chunk.size();
                Thread.sleep(Math.max(0, pause - (System.currentTimeMillis() - started)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void appendWithRetries(List<Mail> chunk) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                imap.append(chunk.get(0).folder(), chunk.stream().map(Mail::raw).toList());
                return;
            } catch (Exception e) {
                System.err.println(
                        "IMAP APPEND to " + chunk.get(0).folder() + " failed (attempt " + attempt + "): " + e);
                if (attempt == 60) {
                    throw new IllegalStateException("IMAP APPEND failed 60 times: " + e, e);
                }
                Thread.sleep(1000);
            }
        }
    }

    /** Waits for the last chunk (bounded); fails when the mail could not be delivered. */
    void finish(Duration timeout) throws InterruptedException {
        join(timeout.toMillis());
        if (isAlive()) {
            throw new IllegalStateException("mail delivery did not finish within " + timeout);
        }
        if (failure != null) {
            throw failure;
        }
    }

    int delivered() {
        return delivered;
    }

    /** When the server took each mail (epoch millis, after its APPEND completed), by Message-ID. */
    Map<String, Long> appendedAt() {
        return appendedAt;
    }
}
