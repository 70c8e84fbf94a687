package dispatch.incident;

/** How an incident came to be: the only place the report's Russian texts for it are written. */
public enum RegistrationMethod {
    /** Opened by threading from a mail. */
    EMAIL("Автоматически из почты"),
    /** Opened for an issue a dispatcher created by hand in Tracker. */
    MANUAL("Вручную через диспетчера");

    private final String text;

    RegistrationMethod(String text) {
        this.text = text;
    }

    /** The text the reports show. */
    public String text() {
        return text;
    }
}
