package dispatch.incident;

/**
 * The statuses of an incident's history: the only place their Russian names are written in Java. The names are the
 * rows of {@code incident_status} (kept by {@code R__incident_default_data.sql}); the report's SQL reads some of them.
 */
public enum IncidentStatus {
    NEW("Новый"),
    CLOSED("Закрыт"),
    ERROR("Ошибка"),
    AWAITING_CONFIRMATION("Ждем подтверждения"),
    ON_GENERATION("На генерации НБ"),
    IN_WORK("В работе"),
    /** A dispatcher's command: tell the operator the incident is being worked on. */
    NOTIFYING_OPERATOR("Уведомляем оператора"),
    NOTIFIED_OPERATOR("Уведомили оператора"),
    /** A dispatcher's command: tell the operator the incident is closed. */
    NOTIFYING_CLOSED("Уведомляем о закрытии"),
    NOTIFIED_CLOSED("Уведомили о закрытии"),
    /** A dispatcher's command: hand the incident over to the pole's contractor. */
    HANDING_OVER("Передать подрядчику"),
    HANDED_OVER("Передано подрядчику");

    private final String text;

    IncidentStatus(String text) {
        this.text = text;
    }

    /** The name people read (in the history, the reports and Tracker comments). */
    public String text() {
        return text;
    }

    /** The status with this name. */
    public static IncidentStatus fromText(String text) {
        for (IncidentStatus status : values()) {
            if (status.text.equals(text)) return status;
        }
        throw new IllegalArgumentException("not an incident status: " + text);
    }
}
