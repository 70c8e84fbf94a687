package dispatch.mail;

import java.util.List;

/** The To, Cc and Reply-To addresses of a stored mail, in header order. */
public record Recipients(List<String> to, List<String> cc, List<String> replyTo) {}
