/** IMAP intake of INBOX and Sent, MIME parsing, storage, classification, quarantine and SMTP sending. */
@org.jspecify.annotations.NullMarked
package dispatch.mail;
