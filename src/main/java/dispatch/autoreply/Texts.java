package dispatch.autoreply;

import dispatch.tracker.StatusCommandIssued.Command;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What the dispatcher reads in Tracker when an auto-reply did not go out. */
final class Texts {

    private Texts() {}

    /** The texts of the old service, with the real wait (the old one always said 0 seconds). */
    static String tooSoon(Command command, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        String what = switch (command) {
            case OPERATOR_IN_WORK -> "Уведомление о принятии работ недавно было отправлено заявителю.";
            case OPERATOR_CLOSED -> "Уведомление о закрытии работ уже было отправлено заявителю.";
            case CONTRACTOR_IN_WORK -> "Письмо по заявке недавно было отправлено подрядчику.";
        };
        return what + " Попробуйте снова через " + seconds + " секунд.";
    }

    /** The mail did not go out; {@code reason}: the server's answer or the error. */
    static String failed(Command command, @Nullable String reason) {
        String text = switch (command) {
            case OPERATOR_IN_WORK -> "Не удалось уведомить оператора о принятии заявки в работу.";
            case OPERATOR_CLOSED -> "Не удалось уведомить оператора о закрытии заявки.";
            case CONTRACTOR_IN_WORK -> "Не удалось уведомить подрядчика о заявке.";
        };
        if (reason == null || reason.isBlank()) return text;
        return text + " Ошибка: " + (reason.length() > 300 ? reason.substring(0, 300) + "…" : reason);
    }

    /** A wait as the requester reads it: {@code 12 ч}, {@code 1 ч 30 мин}, {@code 45 мин}, {@code 30 с}. */
    static String duration(Duration wait) {
        long hours = wait.toHours();
        long minutes = wait.toMinutesPart();
        if (hours == 0 && minutes == 0) return Math.max(1, wait.toSeconds()) + " с";
        if (hours == 0) return minutes + " мин";
        return minutes == 0 ? hours + " ч" : hours + " ч " + minutes + " мин";
    }
}
