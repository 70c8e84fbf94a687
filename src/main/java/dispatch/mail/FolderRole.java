package dispatch.mail;

/** The two kinds of folder Dispatch reads in every account. */
enum FolderRole {
    INBOX(Direction.INBOUND),
    SENT(Direction.OUTBOUND);

    final Direction direction;

    FolderRole(Direction direction) {
        this.direction = direction;
    }
}
