package dispatch.mail;

/** The two kinds of folder Dispatch reads in every account. */
enum FolderRole {
    INBOX("INBOUND"),
    SENT("OUTBOUND");

    final String direction;

    FolderRole(String direction) {
        this.direction = direction;
    }
}
