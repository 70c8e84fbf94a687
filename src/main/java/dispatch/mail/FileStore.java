package dispatch.mail;

import dispatch.platform.DispatchProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
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

    FileStore(DispatchProperties settings) {
        Path root = settings.dataDirectory();
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

    /** Keeps a raw message (gzip-compressed) under the given hash of its uncompressed bytes. */
    void storeRaw(Path message, String sha256) throws IOException {
        Path target = shard(raw, sha256, ".eml.gz");
        if (Files.exists(target)) {
            return;
        }
        Path part = newTempFile();
        try {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(part), 64 * 1024)) {
                Files.copy(message, out);
            }
            moveIntoPlace(part, target);
        } finally {
            Files.deleteIfExists(part);
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

    private static Path shard(Path root, String hash, String suffix) {
        return root.resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash + suffix);
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        if (Files.exists(target)) {
            return;
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
