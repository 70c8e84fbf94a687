/** Telegram alerts for the on-call admins. */
@org.jspecify.annotations.NullMarked
package dispatch.alert;
