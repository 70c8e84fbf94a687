package dispatch.standin.mail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An SMTP server that answers as told, where GreenMail takes everything: a recipient refused with a given reply
 * ({@code 550 5.1.1 …}, {@code 450 …}), the message refused after DATA, a greeting that turns the client away. Takes
 * no login (offers no AUTH) and no TLS; records what it took. One connection at a time is plenty for tests.
 */
public final class ScriptedSmtp implements AutoCloseable {

    /** What the server took: the envelope recipients and the message text. */
    public record Taken(List<String> recipients, String data) {}

    private final ServerSocket socket;
    private final Thread acceptor;
    private final Map<String, String> recipientReplies = new ConcurrentHashMap<>();
    private final Deque<String> greetings = new ConcurrentLinkedDeque<>();
    private final Deque<String> dataReplies = new ConcurrentLinkedDeque<>();
    private final List<Taken> taken = new CopyOnWriteArrayList<>();

    private ScriptedSmtp(ServerSocket socket) {
        this.socket = socket;
        this.acceptor = new Thread(this::serve, "scripted-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts on {@code port} (0: any free one) on the loopback interface. */
    public static ScriptedSmtp start(int port) throws IOException {
        return new ScriptedSmtp(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()));
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Every RCPT of this address (case-insensitive) gets {@code reply}, e.g. {@code 550 5.1.1 User unknown}. */
    public ScriptedSmtp refuseRecipient(String address, String reply) {
        recipientReplies.put(address.toLowerCase(Locale.ROOT), reply);
        return this;
    }

    /** The next connection is greeted with {@code reply} (e.g. {@code 421 busy}) and closed. */
    public ScriptedSmtp nextGreeting(String reply) {
        greetings.add(reply);
        return this;
    }

    /** The next message's DATA ends with {@code reply} (e.g. {@code 550 5.7.1 rejected}) instead of 250. */
    public ScriptedSmtp nextDataReply(String reply) {
        dataReplies.add(reply);
        return this;
    }

    /** Forgets the script and what was taken. */
    public void reset() {
        recipientReplies.clear();
        greetings.clear();
        dataReplies.clear();
        taken.clear();
    }

    public List<Taken> taken() {
        return List.copyOf(taken);
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                client.setSoTimeout(10_000);
                converse(client);
            } catch (IOException e) {
                // the client went away, or the server was closed
            }
        }
    }

    private void converse(Socket client) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8);
        String greeting = greetings.poll();
        if (greeting != null) {
            say(out, greeting);
            return;
        }
        say(out, "220 scripted ESMTP");
        List<String> recipients = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String command = line.toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO")) {
                say(out, "250-scripted\r\n250 8BITMIME");
            } else if (command.startsWith("HELO") || command.startsWith("MAIL FROM") || command.startsWith("RSET")) {
                recipients.clear();
                say(out, "250 OK");
            } else if (command.startsWith("RCPT TO")) {
                String address = line.replaceFirst("(?i)RCPT TO:\\s*<([^>]*)>.*", "$1");
                String reply = recipientReplies.get(address.toLowerCase(Locale.ROOT));
                if (reply == null) recipients.add(address);
                say(out, reply == null ? "250 OK" : reply);
            } else if (command.equals("DATA")) {
                say(out, "354 go ahead");
                StringBuilder data = new StringBuilder();
                for (String l = in.readLine(); l != null && !l.equals("."); l = in.readLine()) {
                    data.append(l).append("\r\n");
                }
                String reply = dataReplies.poll();
                if (reply == null) taken.add(new Taken(List.copyOf(recipients), data.toString()));
                say(out, reply == null ? "250 OK taken" : reply);
            } else if (command.equals("QUIT")) {
                say(out, "221 bye");
                return;
            } else {
                say(out, "250 OK");
            }
        }
    }

    private static void say(Writer out, String reply) throws IOException {
        out.write(reply + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
