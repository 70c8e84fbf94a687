package dispatch.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Broken and hostile mail, generated (no third-party corpora): each case with the outcome the intake must reach.
 * Every kind the issue names is here; the {@code extreme} ones only go to a real server (GreenMail's APPEND cannot
 * take them).
 */
final class HostileMails {

    enum Outcome {
        /** Stored (or recognised as already stored, for a duplicate Message-ID). */
        STORED,
        /** Quarantined with a reason and its raw copy. */
        QUARANTINED
    }

    /** One hostile mail; {@code subject}, when set, is what the stored subject must read. */
    record Case(String name, byte[] raw, Outcome expected, String subject) {

        Case withRaw(byte[] other) {
            return new Case(name, other, expected, subject);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final String NORMAL_SUBJECT = "Авария на опоре 50123-01 после всего этого";

    private HostileMails() {}

    /** The suite; {@code baseStations} are names a mass-outage mail lists, {@code extreme} adds what GreenMail can't. */
    static List<Case> all(List<String> baseStations, boolean extreme) {
        List<Case> c = new ArrayList<>();
        c.add(stored("empty-host-address", "From: Someone <someone@>\r\nTo: dispatch@example.test, broken@\r\n", "x"));
        c.add(stored("group-address", "To: Аварийная группа: a@x.test, b@y.test;, undisclosed-recipients:;\r\n", "x"));
        c.add(new Case(
                "message-id-without-brackets",
                mail("Message-ID: hostile-bare@test.example\r\nSubject: bare id\r\n", "text"),
                Outcome.STORED,
                "bare id"));
        c.add(stored(
                "broken-boundary",
                "Content-Type: multipart/mixed; boundary=\"declared\"\r\n",
                "--other\r\nContent-Type: text/plain\r\n\r\nnever closed\r\n--other"));
        c.add(stored("missing-boundary-parameter", "Content-Type: multipart/mixed\r\n", "--x\r\n\r\ntext\r\n--x--"));
        c.add(stored("boundary-only-dashes", "Content-Type: multipart/mixed; boundary=\"\"\r\n", "--\r\n--\r\n----"));
        c.add(new Case(
                "8bit-headers-utf8",
                bytes(ids("8bit-utf8") + "From: Иван Петров <ivan@x.test>\r\nSubject: Нет питания\r\n\r\nтело\r\n"),
                Outcome.STORED,
                "Нет питания"));
        c.add(new Case(
                "8bit-headers-cp1251",
                join(
                        ids("8bit-cp1251").getBytes(StandardCharsets.US_ASCII),
                        "Subject: Авария на опоре\r\n\r\nтело\r\n".getBytes(Charset.forName("windows-1251"))),
                Outcome.STORED,
                null));
        c.add(stored(
                "malformed-header-lines", " leading continuation\r\nNo colon here\r\nX Bad Name: v\r\n:\r\n", "x"));
        c.add(stored("bad-date", "Date: 32 Foo 99999 25:61:61 +9999\r\n", "x"));
        c.add(stored("date-year-1900", "Date: Mon, 1 Jan 1900 00:00:00 +0000\r\n", "x"));
        c.add(new Case(
                "no-message-id", bytes("From: a@x.test\r\nSubject: без id\r\n\r\nтекст\r\n"), Outcome.STORED, null));
        c.add(new Case("duplicate-id-first", dup("первое"), Outcome.STORED, null));
        c.add(new Case("duplicate-id-second", dup("второе"), Outcome.STORED, null));
        c.add(stored("bounce-dsn", "From: MAILER-DAEMON@mx.test\r\n" + REPORT, dsnBody()));
        c.add(stored("bounce-dsn-without-parts", "From: postmaster@mx.test\r\n" + REPORT, ""));
        c.add(charset("windows-1251", "Авария на БС"));
        c.add(charset("koi8-r", "Нет связи"));
        c.add(charset("GB2312", "基站故障"));
        c.add(charset("ISO-2022-JP", "基地局の障害"));
        c.add(stored("huge-attachment", multipartHeader(), attachmentPart(3 * 1024 * 1024) + "--b--\r\n"));
        c.add(new Case("empty-mail", new byte[] {'\r', '\n'}, Outcome.STORED, null));
        if (!extreme) {
            // Dovecot refuses to take a zero-byte message; GreenMail takes it.
            c.add(new Case("zero-bytes", new byte[0], Outcome.STORED, null));
        }
        c.add(new Case("headers-only", bytes(ids("headers-only") + "Subject: only headers\r\n"), Outcome.STORED, null));
        c.add(stored("deep-nesting-100", "", "").withRaw(nested("deep100", 100)));
        c.add(stored("thousands-of-tiny-parts", multipartHeader(), tinyParts(3000)));
        c.add(new Case(
                "thousands-of-re-prefixes",
                mail(ids("re") + "Subject: " + "Re: ".repeat(5000) + "Авария\r\n", "x"),
                Outcome.STORED,
                null));
        c.add(stored("long-non-space-run", "", "a".repeat(300_000) + " " + "-".repeat(200_000) + "1234x"));
        c.add(stored("long-run-around-at", "", "x".repeat(100_000) + "@" + "y".repeat(100_000)));
        c.add(stored("nested-comments", "References: " + "(".repeat(20_000) + ")".repeat(20_000) + " <r@x>\r\n", "x"));
        c.add(new Case(
                "nul-bytes",
                join(
                        bytes(ids("nul")
                                + "Subject: nul\u0000inside\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"),
                        new byte[] {'a', 0, 'b', 0, 0, 'c'}),
                Outcome.STORED,
                null));
        c.add(new Case(
                "utf16-without-charset",
                join(
                        bytes(ids("utf16") + "Subject: utf16\r\nContent-Type: text/plain\r\n\r\n"),
                        "Авария на опоре".getBytes(StandardCharsets.UTF_16LE)),
                Outcome.STORED,
                null));
        c.add(stored("utf16-encoded-word-lone-surrogate", "Subject: =?UTF-16BE?B?2ABBAA==?=\r\n", "x"));
        // The file name is cut to its last 200 characters, right through a surrogate pair.
        c.add(stored(
                "file-name-cut-in-a-surrogate-pair",
                multipartHeader(),
                "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=UTF-8''ab"
                        + java.net.URLEncoder.encode("\uD835\uDC00".repeat(150), StandardCharsets.UTF_8)
                        + "c\r\n\r\ndata\r\n--b--\r\n"));
        c.add(overLongIds());
        c.add(stored(
                "dots-and-spaces-file-name",
                multipartHeader(),
                "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\" "
                        + ".".repeat(20_000) + "x\"\r\n\r\ndata\r\n--b--\r\n"));
        c.add(stored("bare-lf-line-endings", "", "")
                .withRaw(bytes("Message-ID: <hostile-lf@test.example>\nSubject: lf\nFrom: a@x.test\n\nline\nline\n")));
        c.add(stored(
                "mass-outage",
                "Subject: Массовая авария, нет питания\r\n",
                "Без питания БС: " + String.join(", ", baseStations)));
        c.add(new Case(
                "huge-header-section",
                mail(ids("huge-header") + ("X-Junk: " + "j".repeat(990) + "\r\n").repeat(300), "x"),
                Outcome.QUARANTINED,
                null));
        c.add(new Case(
                "encoded-word-flood",
                mail(ids("ew") + "Subject: " + "=?utf-8?B?0JA=?= ".repeat(10_000) + "\r\n", "x"),
                Outcome.STORED,
                "А".repeat(10_000)));
        if (extreme) {
            c.add(stored("deep-nesting-5000", "", "").withRaw(nested("deep5000", 5000)));
        }
        return c;
    }

    /** A plain mail a carrier might send, to be read after all of the above. */
    static byte[] normal() {
        return mail(
                "Message-ID: <hostile-normal@carrier.example.test>\r\nFrom: noc@operator.example\r\nSubject: "
                        + NORMAL_SUBJECT + "\r\nContent-Type: text/plain; charset=utf-8\r\n",
                "Нет питания на опоре 50123-01.");
    }

    private static Case stored(String name, String headers, String body) {
        String from =
                headers.startsWith("From:") || headers.contains("\nFrom:") ? "" : "From: noc@operator.example\r\n";
        return new Case(name, mail(ids(name) + from + headers, body), Outcome.STORED, null);
    }

    private static Case charset(String charset, String text) {
        Charset cs = Charset.forName(charset);
        String word = "=?" + charset + "?B?" + Base64.getEncoder().encodeToString(text.getBytes(cs)) + "?=";
        byte[] head = bytes(ids("charset-" + charset) + "Subject: " + word + "\r\nContent-Type: text/plain; charset="
                + charset + "\r\n\r\n");
        return new Case("charset-" + charset, join(head, text.getBytes(cs)), Outcome.STORED, text);
    }

    private static Case overLongIds() {
        String longId = "<" + "l".repeat(3000) + "@x.test>";
        StringBuilder refs = new StringBuilder("References:");
        for (int i = 0; i < 200; i++)
            refs.append(" <").append(i).append("r".repeat(300)).append("@x.test>\r\n");
        String headers = "Message-ID: " + longId.replace("<l", "<m") + "\r\nIn-Reply-To: " + longId + "\r\n" + refs
                + multipartHeader();
        String body = "--b\r\nContent-Type: text/plain\r\n\r\nтекст\r\n--b\r\nContent-Type: image/png\r\nContent-ID: "
                + longId + "\r\n\r\npng\r\n--b--\r\n";
        return new Case("over-long-ids", mail(headers, body), Outcome.STORED, null);
    }

    private static String ids(String name) {
        return "Message-ID: <hostile-" + name + "@test.example>\r\nDate: Fri, 20 Nov 2026 10:00:00 +0300\r\n";
    }

    private static byte[] dup(String text) {
        return mail("Message-ID: <hostile-duplicate@test.example>\r\nSubject: дубль\r\n", text);
    }

    private static final String REPORT =
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\r\n";

    private static String dsnBody() {
        return "--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed\r\n--r\r\nContent-Type: message/delivery-status\r\n"
                + "\r\nReporting-MTA: dns; mx.test\r\n\r\nFinal-Recipient: rfc822; " + "x".repeat(5000)
                + "@x.test\r\nStatus: 5.1.1\r\n--r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <orig@x>\r\n--r--\r\n";
    }

    private static String multipartHeader() {
        return "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n";
    }

    private static String attachmentPart(int size) {
        byte[] content = new byte[size];
        new java.util.Random(size).nextBytes(content);
        return "--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=big.bin\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(content) + "\r\n";
    }

    private static String tinyParts(int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++)
            b.append("--b\r\nContent-Type: text/plain\r\n\r\n").append(i).append("\r\n");
        return b.append("--b--\r\n").toString();
    }

    private static byte[] nested(String name, int depth) {
        StringBuilder b = new StringBuilder(ids(name))
                .append("Subject: nested ")
                .append(depth)
                .append("\r\n");
        b.append("Content-Type: multipart/mixed; boundary=\"n0\"\r\n\r\n");
        for (int i = 1; i < depth; i++) {
            b.append("--n")
                    .append(i - 1)
                    .append("\r\nContent-Type: multipart/mixed; boundary=\"n")
                    .append(i)
                    .append("\"\r\n\r\n");
        }
        b.append("--n").append(depth - 1).append("\r\nContent-Type: text/plain\r\n\r\ndeep\r\n");
        for (int i = depth - 1; i >= 0; i--) b.append("--n").append(i).append("--\r\n");
        return bytes(b.toString());
    }

    private static byte[] mail(String headers, String body) {
        return bytes(headers + "\r\n" + body + "\r\n");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] join(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
