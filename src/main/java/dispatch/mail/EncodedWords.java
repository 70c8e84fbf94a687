package dispatch.mail;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RFC 2047 header decoding as mailers really write it: every encoded word decoded, whitespace between adjacent words
 * dropped, and the bytes of adjacent words in the same charset joined before decoding (mailers split a multi-byte
 * letter across two words), charsets mixed freely.
 */
final class EncodedWords {

    private static final Pattern WORD = Pattern.compile("=\\?([^?\\s]+)\\?([BbQq])\\?([^?\\s]*)\\?=");

    private EncodedWords() {}

    static String decode(String header) {
        String decoded = decodeWords(header);
        return decoded == null ? null : decoded.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    /** Decodes the encoded words only, leaving every other character (a file name's control characters too). */
    static String decodeWords(String header) {
        if (header == null) {
            return null;
        }
        String text = header.contains("=?") ? MimeUtility.unfold(header) : header;
        Matcher m = WORD.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        String pendingCharset = null;
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        while (m.find()) {
            String between = text.substring(last, m.start());
            boolean adjacent = last > 0 && pendingCharset != null && between.isBlank();
            String charset = withoutLanguage(m.group(1).toLowerCase(Locale.ROOT));
            if (!adjacent || !charset.equals(pendingCharset)) {
                flush(out, pending, pendingCharset);
                pendingCharset = null;
                if (!adjacent) {
                    out.append(between);
                }
            }
            byte[] bytes = wordBytes(m.group(2), m.group(3));
            pending.writeBytes(bytes);
            pendingCharset = charset;
            last = m.end();
        }
        flush(out, pending, pendingCharset);
        out.append(text.substring(last));
        return out.toString();
    }

    private static byte[] wordBytes(String encoding, String payload) {
        if (encoding.equalsIgnoreCase("B")) {
            try {
                return Base64.getMimeDecoder().decode(payload);
            } catch (IllegalArgumentException e) {
                return payload.getBytes(StandardCharsets.US_ASCII);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '_') {
                bytes.write(' ');
            } else if (c == '=' && i + 2 < payload.length()) {
                try {
                    bytes.write(Integer.parseInt(payload.substring(i + 1, i + 3), 16));
                    i += 2;
                } catch (NumberFormatException e) {
                    bytes.write(c);
                }
            } else {
                bytes.write(c);
            }
        }
        return bytes.toByteArray();
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream pending, String charset) {
        if (pending.size() == 0) {
            return;
        }
        Charset cs = Charsets.lookup(charset);
        byte[] bytes = pending.toByteArray();
        out.append(cs != null ? Charsets.decode(bytes, cs.name()) : Charsets.decode(bytes, null));
        pending.reset();
    }

    /** RFC 2231 "charset*language": the charset alone. */
    private static String withoutLanguage(String charset) {
        int star = charset.indexOf('*');
        return star < 0 ? charset : charset.substring(0, star);
    }
}
