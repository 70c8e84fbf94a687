/** IMAP intake of INBOX and Sent, MIME parsing, storage, classification, quarantine and SMTP sending. */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform"})
@org.jspecify.annotations.NullMarked
package dispatch.mail;
