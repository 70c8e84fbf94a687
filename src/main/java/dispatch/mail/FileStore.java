package dispatch.mail;

import dispatch.platform.DispatchProperties;
import jakarta.mail.MessagingException;
import jakarta.mail.util.SharedByteArrayInputStream;
import jakarta.mail.util.SharedFileInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Raw messages and attachments on disk, content-addressed by SHA-256 (so a file is written once however often it
 * arrives). Streams only: a 50 MB message never sits in the heap.
 */
@Component
class FileStore {

    /** A file written under its hash; {@code sha256} is null when it was over the size limit and not kept. */
    record Stored(String sha256, long size) {}

    private final Path attachments;
    private final Path raw;
    private final Path tmp;

    @Autowired
    FileStore(DispatchProperties settings) {
        this(settings.dataDirectory());
    }

    FileStore(Path root) {
        this.attachments = root.resolve("attachments");
        this.raw = root.resolve("raw");
        this.tmp = root.resolve("tmp");
    }

    /** A new temporary file for a download in progress (same file system as the store, so moves are atomic). */
    Path newTempFile() throws IOException {
        Files.createDirectories(tmp);
        return Files.createTempFile(tmp, "mail-", ".part");
    }

    /** Stores an attachment; content over {@code maxSize} is counted but not kept. */
    Stored storeAttachment(InputStream content, long maxSize) throws IOException {
        Path part = newTempFile();
        try {
            MessageDigest sha = sha256();
            long size = 0;
            boolean tooLarge = false;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part), sha)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = content.read(buffer)) > 0; ) {
                    size += n;
                    if (size > maxSize) {
                        tooLarge = true;
                    }
                    if (!tooLarge) {
                        out.write(buffer, 0, n);
                    }
                }
            }
            if (tooLarge) {
                return new Stored(null, size);
            }
            String hash = HexFormat.of().formatHex(sha.digest());
            moveIntoPlace(part, shard(attachments, hash, ""));
            return new Stored(hash, size);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Writes a message's bytes: {@code Message::writeTo}, or a copy from a stream. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException, MessagingException;
    }

    /**
     * A raw message kept gzip-compressed under the SHA-256 of its bytes, and an uncompressed copy to parse until
     * closed: in the heap for small messages, in a temporary file for large ones.
     */
    static final class Raw implements AutoCloseable {
        final String sha256;
        final long size;
        private final Bytes bytes;
        private final Path file;

        private Raw(String sha256, long size, Bytes bytes, Path file) {
            this.sha256 = sha256;
            this.size = size;
            this.bytes = bytes;
            this.file = file;
        }

        /** The bytes for {@code new MimeMessage(session, in)}: a shared stream, so parts are not copied. */
        InputStream open() throws IOException {
            return bytes != null ? bytes.open() : new SharedFileInputStream(file.toFile());
        }

        @Override
        public void close() {
            try {
                if (file != null) Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temporary file is harmless
            }
        }
    }

    /**
     * Keeps a raw message in one pass over its bytes: hashed, compressed (fast level: the copy is for replays and
     * audits, disk is cheap next to the intake's time) and copied for parsing; {@code inMemory} for small messages.
     */
    Raw storeRaw(Content content, boolean inMemory) throws IOException, MessagingException {
        Path compressed = newTempFile();
        Path plain = inMemory ? null : newTempFile();
        try {
            Bytes bytes = inMemory ? new Bytes() : null;
            MessageDigest sha = sha256();
            long size;
            try (OutputStream zip = gzip(Files.newOutputStream(compressed));
                    OutputStream copy = inMemory ? bytes : Files.newOutputStream(plain);
                    Tee tee = new Tee(sha, zip, copy)) {
                // MimeMessage.writeTo writes header lines one by one: collect them before they reach the three sinks
                OutputStream out = new BufferedOutputStream(tee, 64 * 1024);
                content.writeTo(out);
                out.flush();
                size = tee.count;
            }
            String hash = HexFormat.of().formatHex(sha.digest());
            moveIntoPlace(compressed, rawPath(hash));
            Raw raw = new Raw(hash, size, bytes, plain);
            plain = null;
            return raw;
        } finally {
            Files.deleteIfExists(compressed);
            if (plain != null) Files.deleteIfExists(plain);
        }
    }

    Path rawPath(String sha256) {
        return shard(raw, sha256, ".eml.gz");
    }

    Path attachmentPath(String sha256) {
        return shard(attachments, sha256, "");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OutputStream gzip(OutputStream out) throws IOException {
        return new GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    /** Writes to a digest and two streams at once, counting the bytes. */
    private static final class Tee extends OutputStream {
        private final MessageDigest digest;
        private final OutputStream first;
        private final OutputStream second;
        long count;

        Tee(MessageDigest digest, OutputStream first, OutputStream second) {
            this.digest = digest;
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            digest.update(b, off, len);
            first.write(b, off, len);
            second.write(b, off, len);
            count += len;
        }
    }

    /** A byte buffer read back without a copy. */
    private static final class Bytes extends ByteArrayOutputStream {
        InputStream open() {
            return new SharedByteArrayInputStream(buf, 0, count);
        }
    }

    private static Path shard(Path root, String hash, String suffix) {
        return root.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash + suffix);
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        if (Files.exists(target)) {
            try {
                // the same content again: retention leaves a file touched lately alone (MailRetention)
                Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
                return;
            } catch (NoSuchFileException e) {
                // retention removed it just now: store it again
            }
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // the same content arrived concurrently: identical by definition
        } catch (IOException e) {
            if (!Files.exists(target)) {
                throw new UncheckedIOException("Cannot store " + target, e);
            }
        }
    }
}
