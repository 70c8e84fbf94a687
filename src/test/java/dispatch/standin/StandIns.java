package dispatch.standin;

import dispatch.standin.mail.MailServer;
import dispatch.standin.telegram.FakeTelegram;
import dispatch.standin.towerstore.FakeTowerStore;
import dispatch.standin.tracker.FakeTracker;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outside world in one place: a database, the mail server and HTTP fakes of Tracker, TowerStore and Telegram,
 * plus the application settings that point the service at them. Used by integration tests and the dev run alike.
 */
public final class StandIns implements AutoCloseable {

    /** Loopback ports; 0 picks a free one. */
    public record Ports(int imap, int smtp, int tracker, int towerStore, int telegram) {

        public static Ports random() {
            return new Ports(0, 0, 0, 0, 0);
        }

        /** The fixed addresses the README and tooling rely on. */
        public static Ports dev() {
            return new Ports(3143, 3025, 8081, 8082, 8083);
        }
    }

    /** API tokens of the dev run and the tests (at least 24 characters, as start-up demands). */
    public static final String API_TOKEN = "dev-token-for-local-runs-only";

    public static final String ADMIN_TOKEN = "dev-admin-token-for-local-runs-only";

    public static final String TELEGRAM_TOKEN = "123456:dev-bot";
    public static final String TELEGRAM_CHAT = "-1001";
    static final Path SAMPLE_REPORTS = Path.of("data", "samples", "towerstore");

    private final String jdbcUrl;
    private final MailServer mail;
    private final FakeTracker tracker;
    private final FakeTowerStore towerStore;
    private final FakeTelegram telegram;

    private StandIns(
            String jdbcUrl, MailServer mail, FakeTracker tracker, FakeTowerStore towerStore, FakeTelegram telegram) {
        this.jdbcUrl = jdbcUrl;
        this.mail = mail;
        this.tracker = tracker;
        this.towerStore = towerStore;
        this.telegram = telegram;
    }

    public static StandIns start(String jdbcUrl, Ports ports) {
        MailServer mail = MailServer.start(ports.imap(), ports.smtp());
        FakeTracker tracker = FakeTracker.start(FakeTracker.Settings.defaults().toBuilder()
                .port(ports.tracker())
                .build());
        FakeTowerStore towerStore = FakeTowerStore.start(ports.towerStore(), SAMPLE_REPORTS);
        FakeTelegram telegram = FakeTelegram.start(ports.telegram());
        return new StandIns(jdbcUrl, mail, tracker, towerStore, telegram);
    }

    public MailServer mail() {
        return mail;
    }

    public FakeTracker tracker() {
        return tracker;
    }

    public FakeTowerStore towerStore() {
        return towerStore;
    }

    public FakeTelegram telegram() {
        return telegram;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** Settings that point the service at these stand-ins (relaxed property names, as from the environment). */
    public Map<String, Object> applicationProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("spring.datasource.url", jdbcUrl);
        p.put("spring.datasource.username", EmbeddedDatabase.USER);
        p.put("spring.datasource.password", "");
        p.put("dispatch.installation-id", "dev");

        p.put("dispatch.mail.accounts[0].name", "dispatch");
        p.put("dispatch.mail.accounts[0].host", "127.0.0.1");
        p.put("dispatch.mail.accounts[0].port", mail.imapPort());
        p.put("dispatch.mail.accounts[0].security", "NONE");
        p.put("dispatch.mail.accounts[0].username", MailServer.ADDRESS);
        p.put("dispatch.mail.accounts[0].password", MailServer.PASSWORD);
        p.put("dispatch.mail.accounts[0].sent-folder", MailServer.SENT);
        p.put("dispatch.mail.smtp.host", "127.0.0.1");
        p.put("dispatch.mail.smtp.port", mail.smtpPort());
        p.put("dispatch.mail.smtp.security", "NONE");
        p.put("dispatch.mail.smtp.username", MailServer.ADDRESS);
        p.put("dispatch.mail.smtp.password", MailServer.PASSWORD);
        p.put("dispatch.mail.smtp.from", MailServer.ADDRESS);

        FakeTracker.Settings trackerSettings = tracker.settings();
        p.put("dispatch.tracker.base-url", tracker.baseUrl());
        p.put("dispatch.tracker.oauth-url", tracker.oauthTokenUrl());
        p.put("dispatch.tracker.org-id", trackerSettings.orgId());
        p.put("dispatch.tracker.access-token", trackerSettings.accessToken());
        p.put("dispatch.tracker.refresh-token", trackerSettings.refreshToken());
        p.put("dispatch.tracker.client-id", "dev-client");
        p.put("dispatch.tracker.client-secret", "dev-secret");
        p.put("dispatch.tracker.queue", trackerSettings.queue());
        p.put("dispatch.towerstore.poles-url", towerStore.url("poles"));
        p.put("dispatch.towerstore.contractors-url", towerStore.url("contractors"));
        p.put("dispatch.towerstore.base-stations-url", towerStore.url("base_stations"));
        p.put("dispatch.towerstore.default-contractor-emails", "avr-default@example.test");
        p.put("dispatch.telegram.base-url", telegram.baseUrl());
        p.put("dispatch.telegram.bot-token", TELEGRAM_TOKEN);
        p.put("dispatch.telegram.chat-id", TELEGRAM_CHAT);

        p.put("dispatch.incident.dispatchers", "dispatcher,petrov");
        p.put("dispatch.api.tokens.dev", API_TOKEN);
        p.put("dispatch.api.admin-tokens.dev-admin", ADMIN_TOKEN);
        return p;
    }

    @Override
    public void close() {
        mail.close();
        tracker.close();
        towerStore.close();
        telegram.close();
    }
}
