package dispatch.mail;

/**
 * Starts the intake's IMAP IDLE watcher (and the parse stage's thread) by hand, for tests and benchmarks whose context has background jobs off
 * ({@link MailJobs} itself stays package-private).
 */
public final class IdleWatcher implements AutoCloseable {

    private final MailJobs jobs;

    private IdleWatcher(MailJobs jobs) {
        this.jobs = jobs;
    }

    /** Starts one IDLE watcher per account that has IDLE on; {@link #close()} stops them. */
    public static IdleWatcher start(MailIntake intake, MailProperties settings) {
        MailJobs jobs = new MailJobs(intake, intake.parsing(), settings);
        jobs.start();
        return new IdleWatcher(jobs);
    }

    @Override
    public void close() {
        jobs.stop();
    }
}
