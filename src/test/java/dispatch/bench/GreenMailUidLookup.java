package dispatch.bench;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import com.icegreen.greenmail.imap.ImapSessionFolder;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.dynamic.loading.ClassReloadingStrategy;
import net.bytebuddy.implementation.MethodDelegation;
import net.bytebuddy.implementation.bind.annotation.Argument;
import net.bytebuddy.implementation.bind.annotation.FieldValue;

/**
 * Takes GreenMail's quadratic UID lookup out of large-folder benchmarks. GreenMail 2.1.13 answers every FETCH by
 * walking all UIDs of the folder and, for each, calling {@code ImapSessionFolder.getMsn(uid)}, which copies the whole
 * UID list and scans it: O(n²) per command whatever the range asked, about 4 s per FETCH at 10,000 messages. That
 * cost is the stand-in's, not the IMAP protocol's (real servers keep a UID index), and it drowns both sides of the
 * intake-versus-bare-read ratio. This replaces the method body, for this JVM only, with a binary search over a UID
 * snapshot taken again whenever the folder's message count or next UID moves (any append or expunge). Answers are the
 * same as GreenMail's, including the exception for an unknown UID.
 */
public final class GreenMailUidLookup {

    private static final Map<MailFolder, Snapshot> SNAPSHOTS = Collections.synchronizedMap(new WeakHashMap<>());
    private static volatile boolean installed;

    private record Snapshot(int count, long uidNext, long[] uids) {}

    private GreenMailUidLookup() {}

    static synchronized void install() {
        if (installed) return;
        ByteBuddyAgent.install();
        new ByteBuddy()
                .redefine(ImapSessionFolder.class)
                .method(named("getMsn").and(takesArguments(long.class)))
                .intercept(MethodDelegation.to(GreenMailUidLookup.class))
                .make()
                .load(ImapSessionFolder.class.getClassLoader(), ClassReloadingStrategy.fromInstalledAgent());
        installed = true;
    }

    /** The replacement of {@code ImapSessionFolder.getMsn(long)}; public for the redefined class to call it. */
    public static int getMsn(@Argument(0) long uid, @FieldValue("folder") MailFolder folder) throws FolderException {
        int index = Arrays.binarySearch(snapshot(folder, false).uids(), uid);
        if (index < 0) index = Arrays.binarySearch(snapshot(folder, true).uids(), uid);
        if (index < 0) {
            throw new FolderException("No such message with uid " + uid + " in folder " + folder.getName());
        }
        return index + 1;
    }

    private static Snapshot snapshot(MailFolder folder, boolean fresh) {
        int count = folder.getMessageCount();
        long uidNext = folder.getUIDNext();
        Snapshot known = SNAPSHOTS.get(folder);
        if (fresh || known == null || known.count() != count || known.uidNext() != uidNext) {
            long[] uids = folder.getMessageUids();
            // GreenMail appends with growing UIDs; sort anyway so the binary search can never be wrong.
            Arrays.sort(uids);
            known = new Snapshot(count, uidNext, uids);
            SNAPSHOTS.put(folder, known);
        }
        return known;
    }
}
