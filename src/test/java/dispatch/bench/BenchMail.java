package dispatch.bench;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

/**
 * Raw RFC 5322 messages as the dispatch mailbox gets them: plain text, HTML-only, multipart with a small
 * attachment, windows-1251 bodies, multipart/alternative; subjects in Cyrillic as encoded words. Deterministic for a
 * given seed, unique Message-IDs.
 */
final class BenchMail {

    static final Charset CP1251 = Charset.forName("windows-1251");
    private static final Charset UTF8 = StandardCharsets.UTF_8;
    private static final String[] TOPICS = {
        "Авария на опоре", "Нет питания БС на опоре", "Восстановлено питание опоры", "Плановые работы на опоре"
    };

    private final Random random;

    BenchMail(long seed) {
        this.random = new Random(seed);
    }

    /** Message {@code n} of the backlog; its kind is {@code n % 5}. */
    byte[] mixed(String idPrefix, int n) {
        String pole = String.format("%05d-%02d", 10000 + random.nextInt(89999), 1 + random.nextInt(9));
        String subject = TOPICS[n % TOPICS.length] + " " + pole + " (№ " + n + ")";
        String text = "Добрый день!\r\nНа опоре " + pole + " нет питания с 10:15. Просим направить бригаду АВР.\r\n"
                + "Оператор связи, дежурный инженер.\r\n";
        return switch (n % 5) {
            case 0 -> plain(idPrefix, n, subject, "UTF-8", "Q", text, StandardCharsets.UTF_8);
            case 1 -> htmlOnly(idPrefix, n, subject, text);
            case 2 -> withAttachment(idPrefix, n, subject, text, 5 * 1024 + random.nextInt(45 * 1024));
            case 3 -> plain(idPrefix, n, subject, "windows-1251", "B", text, CP1251);
            default -> alternative(idPrefix, n, subject, text);
        };
    }

    /** A short plain-text message. */
    static byte[] small(String idPrefix, int n) {
        return ascii(headers(idPrefix, n, "Сообщение " + n, "UTF-8", "B")
                        + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .concat(Base64.getMimeEncoder().encode(("Нет питания на опоре, сообщение " + n).getBytes(UTF8)))
                .array();
    }

    /**
     * A message with one attachment of {@code attachmentBytes} random bytes, streamed as base64 into {@code out};
     * returns the SHA-256 of the attachment's content.
     */
    String large(String idPrefix, int n, long attachmentBytes, OutputStream out) throws IOException {
        String boundary = "=_big_" + n;
        out.write(ascii(headers(idPrefix, n, "Фотоотчёт с опоры " + n, "UTF-8", "B")
                        + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
                        + "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Transfer-Encoding: 8bit\r\n\r\n")
                .array());
        out.write("Фото во вложении.\r\n".getBytes(UTF8));
        out.write(ascii("--" + boundary + "\r\nContent-Type: application/octet-stream; name=\"photos-" + n
                        + ".zip\"\r\nContent-Disposition: attachment; filename=\"photos-" + n + ".zip\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n")
                .array());
        OutputStream base64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).wrap(new NonClosing(out));
        MessageDigest sha256 = sha256();
        byte[] chunk = new byte[64 * 1024];
        for (long left = attachmentBytes; left > 0; left -= chunk.length) {
            random.nextBytes(chunk);
            int length = (int) Math.min(chunk.length, left);
            base64.write(chunk, 0, length);
            sha256.update(chunk, 0, length);
        }
        base64.close();
        out.write(ascii("\r\n--" + boundary + "--\r\n").array());
        return HexFormat.of().formatHex(sha256.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] plain(
            String idPrefix, int n, String subject, String charset, String enc, String text, Charset bodyCharset) {
        return ascii(headers(idPrefix, n, subject, charset, enc) + "Content-Type: text/plain; charset=" + charset
                        + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                .concat(text.getBytes(bodyCharset))
                .array();
    }

    private static byte[] htmlOnly(String idPrefix, int n, String subject, String text) {
        String html = "<html><body><p><b>Внимание!</b></p><p>" + text.replace("\r\n", "<br>") + "</p></body></html>";
        return ascii(headers(idPrefix, n, subject, "UTF-8", "B")
                        + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .concat(Base64.getMimeEncoder().encode(html.getBytes(UTF8)))
                .array();
    }

    private byte[] withAttachment(String idPrefix, int n, String subject, String text, int size) {
        byte[] content = new byte[size];
        random.nextBytes(content);
        String boundary = "=_mixed_" + n;
        return ascii(headers(idPrefix, n, subject, "UTF-8", "B")
                        + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n"
                        + "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Transfer-Encoding: 8bit\r\n\r\n")
                .concat(text.getBytes(UTF8))
                .concat(ascii("--" + boundary + "\r\nContent-Type: application/pdf; name=\"akt-" + n + ".pdf\"\r\n"
                                + "Content-Disposition: attachment; filename*=utf-8''%D0%B0%D0%BA%D1%82-" + n
                                + ".pdf\r\n"
                                + "Content-Transfer-Encoding: base64\r\n\r\n")
                        .array())
                .concat(Base64.getMimeEncoder().encode(content))
                .concat(ascii("\r\n--" + boundary + "--\r\n").array())
                .array();
    }

    private static byte[] alternative(String idPrefix, int n, String subject, String text) {
        String boundary = "=_alt_" + n;
        return ascii(headers(idPrefix, n, subject, "UTF-8", "Q")
                        + "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n"
                        + "--" + boundary + "\r\nContent-Type: text/plain; charset=koi8-r\r\n"
                        + "Content-Transfer-Encoding: 8bit\r\n\r\n")
                .concat(text.getBytes(Charset.forName("KOI8-R")))
                .concat(ascii("\r\n--" + boundary + "\r\nContent-Type: text/html; charset=utf-8\r\n"
                                + "Content-Transfer-Encoding: 8bit\r\n\r\n")
                        .array())
                .concat(("<p>" + text.replace("\r\n", "<br>") + "</p>").getBytes(UTF8))
                .concat(ascii("\r\n--" + boundary + "--\r\n").array())
                .array();
    }

    private static String headers(String idPrefix, int n, String subject, String charset, String encoding) {
        try {
            return "Message-ID: <" + idPrefix + n + "@carrier.example.test>\r\n"
                    + "From: " + MimeUtility.encodeText("Дежурный НОЦ", "UTF-8", "B")
                    + " <noc@carrier.example.test>\r\n"
                    + "To: dispatch@example.test\r\n"
                    + "Subject: " + MimeUtility.fold(9, MimeUtility.encodeText(subject, charset, encoding)) + "\r\n"
                    + "Date: Fri, 20 Nov 2026 10:00:00 +0300\r\n"
                    + "MIME-Version: 1.0\r\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Bytes ascii(String s) {
        return new Bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** A tiny byte-array builder so the message layouts above read top to bottom. */
    private record Bytes(byte[] array) {
        Bytes concat(byte[] more) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(array.length + more.length);
            out.writeBytes(array);
            out.writeBytes(more);
            return new Bytes(out.toByteArray());
        }
    }

    /** Lets the base64 encoder be closed (to flush its padding) without closing the message stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
