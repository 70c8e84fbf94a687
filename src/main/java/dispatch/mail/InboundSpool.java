package dispatch.mail;

import dispatch.platform.DispatchProperties;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The bytes of staged mail (decision 0016, update): one file per read batch under {@code <data>/inbound/}, written
 * and forced to disk before the batch's rows and checkpoint commit, so a committed row always names bytes that
 * survive a crash. Rows name a file and an offset ({@code mail_inbound.spool}); the parse stage deletes a file once no
 * row names it. A file no row names is a batch whose transaction never committed (or whose last rows were stored by a
 * process that died before deleting it): {@link #sweep} removes it once it is old enough that no read can be about to
 * commit it.
 */
@Component
class InboundSpool {

    private static final Logger log = LoggerFactory.getLogger(InboundSpool.class);
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Where one batch's messages were written: the file and each message's offset in it, in the batch's order. */
    record Written(String file, long[] offsets) {}

    private final Path dir;

    @Autowired
    InboundSpool(DispatchProperties settings) {
        this(settings.dataDirectory());
    }

    InboundSpool(Path dataDirectory) {
        this.dir = dataDirectory.resolve("inbound");
    }

    /** Writes the messages one after the other into a new file and forces it, and its directory entry, to disk. */
    Written write(List<byte[]> messages) throws IOException {
        Files.createDirectories(dir);
        String name = UUID.randomUUID().toString();
        long[] offsets = new long[messages.size()];
        ByteBuffer[] buffers = new ByteBuffer[messages.size()];
        long offset = 0;
        for (int i = 0; i < messages.size(); i++) {
            offsets[i] = offset;
            buffers[i] = ByteBuffer.wrap(messages.get(i));
            offset += messages.get(i).length;
        }
        try (FileChannel file =
                FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < offset; ) written += file.write(buffers);
            file.force(false);
        }
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
        return new Written(name, offsets);
    }

    /** One message's bytes; {@link java.nio.file.NoSuchFileException} when its file is gone. */
    byte[] read(String file, long offset, long length) throws IOException {
        byte[] bytes = new byte[Math.toIntExact(length)];
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try (FileChannel channel = FileChannel.open(path(file), StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException("staged file " + file + " ends before byte " + (offset + length));
                }
            }
        }
        return bytes;
    }

    /** Deletes a batch's file (all its messages are stored, or its transaction failed). */
    void delete(String file) {
        try {
            Files.deleteIfExists(path(file));
        } catch (IOException e) {
            log.warn("Cannot delete staged file {} (the sweep will): {}", file, e.toString());
        }
    }

    /** Deletes files older than {@code age} that no row names; returns how many. */
    int sweep(Set<String> named, Duration age) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        Instant before = Instant.now().minus(age);
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (named.contains(name)
                        || !Files.getLastModifiedTime(f).toInstant().isBefore(before)) continue;
                if (Files.deleteIfExists(f)) deleted++;
            }
        }
        if (deleted > 0) log.info("Deleted {} staged files no row names any more", deleted);
        return deleted;
    }

    private Path path(String file) {
        if (!NAME.matcher(file).matches()) throw new IllegalArgumentException("not a staged file name: " + file);
        return dir.resolve(file);
    }
}
