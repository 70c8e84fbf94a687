package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.platform.DispatchProperties;
import dispatch.standin.mail.MailServer;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the intake asks an IMAP server for, read from the protocol trace (decision 0013). */
class FolderReaderProtocolTest {

    @TempDir
    Path data;

    @Test
    void readsByUidWithoutAskingForTheEnvelopeAndGetsTheExactBytes() throws Exception {
        byte[] small = ("Message-ID: <p1@x.test>\r\nFrom: Someone <someone@>\r\nSubject: s\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] large = ("Message-ID: <p2@x.test>\r\nSubject: l\r\n\r\n" + "0123456789\r\n".repeat(300_000))
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        try (MailServer server = MailServer.start(0, 0)) {
            server.append("INBOX", small);
            server.append("INBOX", large);
            Session session = Session.getInstance(new Properties());
            session.setDebug(true);
            session.setDebugOut(new PrintStream(trace, true, StandardCharsets.UTF_8));
            FileStore files = new FileStore(new DispatchProperties("test", ZoneId.of("UTC"), data, false));
            FolderReader reader = new FolderReader(files, null, Clock.systemUTC());
            try (Store store = session.getStore("imap")) {
                store.connect("127.0.0.1", server.imapPort(), MailServer.ADDRESS, MailServer.PASSWORD);
                IMAPFolder folder = (IMAPFolder) store.getFolder("INBOX");
                folder.open(Folder.READ_ONLY);
                List<Long> uids = ImapFetch.uidsAfter(folder, 0);
                List<FolderReader.Downloaded> got = reader.download(folder, uids);

                assertThat(got).hasSize(2);
                assertThat(got.get(0).bytes()).isEqualTo(small);
                assertThat(got.get(1).raw().size).isEqualTo(large.length);
                got.get(1).raw().close();
            }
        }
        String protocol = trace.toString(StandardCharsets.UTF_8);
        assertThat(protocol).doesNotContainIgnoringCase("ENVELOPE");
        assertThat(protocol).contains("UID FETCH 1:2 (UID RFC822.SIZE INTERNALDATE)");
        assertThat(protocol).contains("(UID BODY.PEEK[])");
        assertThat(protocol).contains("(UID BODY.PEEK[]<0.1048576>)");
    }
}
