package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch files of staged mail (decision 0016, update), without Spring. */
class InboundSpoolTest {

    @TempDir
    Path data;

    @Test
    void eachMessageIsReadBackFromItsOffset() throws Exception {
        InboundSpool spool = new InboundSpool(data);
        List<byte[]> messages =
                List.of(bytes("first"), new byte[0], bytes("третье сообщение"), bytes("x".repeat(70_000)));

        InboundSpool.Written written = spool.write(messages);

        for (int i = 0; i < messages.size(); i++) {
            assertThat(spool.read(written.file(), written.offsets()[i], messages.get(i).length))
                    .isEqualTo(messages.get(i));
        }
    }

    @Test
    void aFileThatIsGoneOrCutShortIsAnErrorNotOtherBytes() throws Exception {
        InboundSpool spool = new InboundSpool(data);
        InboundSpool.Written written = spool.write(List.of(bytes("twelve bytes")));

        assertThatThrownBy(() -> spool.read(written.file(), 0, 13)).hasMessageContaining("ends before");
        spool.delete(written.file());
        assertThatThrownBy(() -> spool.read(written.file(), 0, 12)).isInstanceOf(NoSuchFileException.class);
    }

    /** A name comes from a database row: it must never reach outside the spool directory. */
    @Test
    void onlyNamesTheSpoolGaveAreOpened() throws Exception {
        InboundSpool spool = new InboundSpool(data);
        Files.writeString(data.resolve("secret"), "not mail");

        for (String name : List.of("../secret", "/etc/passwd", "", "00000000-0000-0000-0000-00000000000/")) {
            assertThatThrownBy(() -> spool.read(name, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * The sweep removes files no row names once they are old enough that no read can still be about to commit them;
     * a young file (a read between its write and its commit) and a named one stay.
     */
    @Test
    void theSweepRemovesOnlyOldFilesNoRowNames() throws Exception {
        InboundSpool spool = new InboundSpool(data);
        String oldUnnamed = spool.write(List.of(bytes("a"))).file();
        String oldNamed = spool.write(List.of(bytes("b"))).file();
        String young = spool.write(List.of(bytes("c"))).file();
        FileTime twoHoursAgo = FileTime.from(Instant.now().minus(Duration.ofHours(2)));
        Files.setLastModifiedTime(data.resolve("inbound").resolve(oldUnnamed), twoHoursAgo);
        Files.setLastModifiedTime(data.resolve("inbound").resolve(oldNamed), twoHoursAgo);

        int deleted = spool.sweep(Set.of(oldNamed), Duration.ofHours(1));

        assertThat(deleted).isEqualTo(1);
        assertThat(data.resolve("inbound").resolve(oldUnnamed)).doesNotExist();
        assertThat(data.resolve("inbound").resolve(oldNamed)).exists();
        assertThat(data.resolve("inbound").resolve(young)).exists();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
