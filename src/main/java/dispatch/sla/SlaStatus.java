package dispatch.sla;

/** The SLA status shown in Tracker's SLA field and in reports; the texts must match the field's values exactly. */
public enum SlaStatus {
    UNKNOWN("⬜️ Неизвестно"),
    IN_PROGRESS("🟦 В работе"),
    LESS_THAN_AN_HOUR("🟨 Осталось менее часа"),
    EXPIRED("🟥 Просрочен"),
    /** The SLA clock stands still: the issue is in one of its type's pause statuses (docs/sla.md). */
    PAUSED("⏸️ Пауза"),
    CLOSED_ON_TIME("🟩 Закрыт вовремя");

    private final String text;

    SlaStatus(String text) {
        this.text = text;
    }

    /** The Tracker field value, emoji included. */
    public String text() {
        return text;
    }

    public static SlaStatus fromText(String text) {
        for (SlaStatus status : values()) {
            if (status.text.equals(text)) return status;
        }
        throw new IllegalArgumentException("not an SLA status: " + text);
    }
}
