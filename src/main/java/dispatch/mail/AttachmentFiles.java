package dispatch.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Stores files as intake stores attachments (content-addressed under the data directory), for importers. */
public final class AttachmentFiles {

    /** A stored file: its SHA-256 (the name it is kept under) and size. */
    public record Stored(String sha256, long size) {}

    private final FileStore store;

    public AttachmentFiles(Path dataDirectory) {
        this.store = new FileStore(dataDirectory);
    }

    public Stored store(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            FileStore.Stored stored = store.storeAttachment(in, Long.MAX_VALUE);
            return new Stored(stored.sha256(), stored.size());
        }
    }
}
