package dispatch.mail;

/**
 * A watched folder as one read of it sees it: whose it is, its role, its row and the UIDVALIDITY its UIDs belong to.
 */
record FolderRef(String account, FolderRole role, long id, long uidValidity) {

    @Override
    public String toString() {
        return account + "/" + role;
    }
}
