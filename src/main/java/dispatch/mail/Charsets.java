package dispatch.mail;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Locale;

/**
 * Decodes text bodies whose charset is missing or wrong, as Russian mail often is: trusts a declared charset that
 * fits the bytes, otherwise picks among UTF-8, windows-1251 and KOI8-R by which yields ordinary Russian text.
 */
final class Charsets {

    static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
    static final Charset KOI8_R = Charset.forName("KOI8-R");
    private static final List<Charset> CYRILLIC_CANDIDATES = List.of(WINDOWS_1251, KOI8_R);
    /** The most frequent Russian letters, lower case; real text scores high with the right charset. */
    private static final String FREQUENT = "оеаинтсрвлкмдпуяыь";

    private Charsets() {}

    static String decode(byte[] bytes, String declaredCharset) {
        Charset declared = lookup(declaredCharset);
        boolean ascii = isAscii(bytes);
        if (ascii) {
            return new String(bytes, declared != null ? declared : StandardCharsets.US_ASCII);
        }
        // Mailers that know nothing better declare ASCII or Latin-1 for whatever bytes they send.
        boolean declaredIsUseful = declared != null
                && !declared.equals(StandardCharsets.US_ASCII)
                && !declared.equals(StandardCharsets.ISO_8859_1)
                && !declared.name().equalsIgnoreCase("windows-1252");
        if (declaredIsUseful) {
            String strict = strictDecode(bytes, declared);
            if (strict != null && (!isCyrillicCapable(declared) || cyrillicScore(strict) >= 0)) {
                return strict;
            }
        }
        String utf8 = strictDecode(bytes, StandardCharsets.UTF_8);
        if (utf8 != null) {
            return utf8;
        }
        String best = null;
        double bestScore = -1;
        for (Charset candidate : CYRILLIC_CANDIDATES) {
            String text = new String(bytes, candidate);
            double score = cyrillicScore(text);
            if (score > bestScore) {
                best = text;
                bestScore = score;
            }
        }
        return bestScore > 0 ? best : new String(bytes, declared != null ? declared : WINDOWS_1251);
    }

    static Charset lookup(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String n = name.trim().replace("\"", "").toLowerCase(Locale.ROOT);
        if (n.equals("cp-1251") || n.equals("win-1251")) n = "windows-1251";
        try {
            return Charset.forName(n);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return null;
        }
    }

    private static boolean isCyrillicCapable(Charset charset) {
        return charset.equals(WINDOWS_1251)
                || charset.equals(KOI8_R)
                || charset.name().contains("866");
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) return false;
        }
        return true;
    }

    private static String strictDecode(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Share of frequent lower-case Russian letters among Cyrillic letters; -1 when there are none. */
    private static double cyrillicScore(String text) {
        int cyrillic = 0;
        int frequent = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.UnicodeBlock.of(c) == Character.UnicodeBlock.CYRILLIC) {
                cyrillic++;
                if (FREQUENT.indexOf(c) >= 0) frequent++;
            }
        }
        return cyrillic == 0 ? -1 : (double) frequent / cyrillic;
    }
}
