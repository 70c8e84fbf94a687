package dispatch.standin.tracker;

import com.sun.net.httpserver.HttpServer;
import dispatch.standin.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A stateful stand-in for the Yandex Tracker REST API (v2 and v3) plus the {@code oauth.yandex.ru/token} refresh
 * endpoint, bound to 127.0.0.1. Used by integration tests and the local dev run; see
 * {@code docs/tracker-api.md} for the behaviour it reproduces. Thread-safe.
 */
public final class FakeTracker implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Settings settings;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Store store;
    private final Tokens tokens;
    private final Faults faults = new Faults();
    private final Router router;

    private FakeTracker(Settings settings) throws IOException {
        this.settings = settings;
        this.server = Loopback.server(settings.port(), 64);
        this.store = new Store(settings);
        this.tokens = new Tokens(settings);
        this.router = new Router(settings, store, tokens, faults);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fake-tracker-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", router);
        server.setExecutor(executor);
        server.start();
        router.baseUrl(baseUrl());
    }

    /** Starts a fake on {@code settings.port()} (0 = a free port). */
    public static FakeTracker start(Settings settings) {
        try {
            return new FakeTracker(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FakeTracker start() {
        return start(Settings.defaults());
    }

    /** E.g. {@code http://127.0.0.1:54321}; the API lives under {@code /v2} and {@code /v3}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The stand-in for {@code https://oauth.yandex.ru/token}. */
    public String oauthTokenUrl() {
        return baseUrl() + "/token";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public Settings settings() {
        return settings;
    }

    /** The full API key of a queue local field, {@code <24hex>--<key>}. */
    public String localFieldId(String key) {
        return store.catalog.localFieldId(key);
    }

    /** Sets the drop-down values of a global field (by key) or local field (by key or full id). */
    public void fieldOptions(String key, List<String> values) {
        String stored = store.catalog.customFieldKey(key).orElseThrow();
        store.catalog.options(stored, Json.MAPPER.valueToTree(values));
    }

    /** The drop-down values of a field, empty when it has none. */
    public List<String> fieldOptions(String key) {
        return store.catalog.customFieldKey(key).flatMap(store.catalog::options).orElse(List.of());
    }

    public Faults faults() {
        return faults;
    }

    /** Calls per route template, version-independent, e.g. {@code "POST /issues/_search" -> 3}. */
    public Map<String, Integer> calls() {
        return router.calls();
    }

    public int callCount(String route) {
        return calls().getOrDefault(route, 0);
    }

    public void resetCalls() {
        router.resetCalls();
    }

    /** Changes the per-call latency from now on. */
    public void latency(Duration latency) {
        router.latency(latency);
    }

    /** Every access token handed out or seen so far answers 401 until the client refreshes. */
    public void expireAccessTokens() {
        tokens.expireAll();
    }

    /** A fresh valid access/refresh pair, as if the app had been authorised again. */
    public TokenPair issueTokens() {
        return tokens.issue();
    }

    /** Writes every issue, comment and file to {@code file}; the dev run keeps them beside its database. */
    public void save(Path file) throws IOException {
        store.save(file);
    }

    /** Replaces what the fake holds with what {@link #save} wrote. */
    public void load(Path file) throws IOException, ClassNotFoundException {
        store.load(file);
    }

    /** Creates an issue as a dispatcher would in the UI (no {@code unique}); fields as in the API body. */
    public String createIssueManually(Map<String, ?> fields) {
        return store.createManually(Json.MAPPER.valueToTree(fields));
    }

    /** Moves the issue to {@code statusKey} as the dispatcher would. */
    public void transition(String key, String statusKey) {
        store.transitionAsDispatcher(key, statusKey);
    }

    /**
     * The workflow loses its transitions to these statuses (until {@link #reset}): the API neither lists nor executes
     * them. The dispatcher in the UI ({@link #transition}) still gets there.
     */
    public void withoutTransitionsTo(String... statusKeys) {
        store.catalog.unreachable.addAll(List.of(statusKeys));
    }

    /** Edits fields as the dispatcher would, with PATCH semantics. */
    public void editAsDispatcher(String key, Map<String, ?> fields) {
        store.editAsDispatcher(key, Json.MAPPER.valueToTree(fields));
    }

    /** Adds a plain comment as the dispatcher; returns its numeric id. */
    public long commentAsDispatcher(String key, String text) {
        return store.commentAsDispatcher(key, text);
    }

    /** A snapshot of the issue as {@code GET /v2/issues/{key}?expand=attachments} shows it. */
    public Map<String, Object> issue(String key) {
        return store.snapshot(key);
    }

    public List<Map<String, Object>> issues() {
        return store.snapshots();
    }

    public List<Map<String, Object>> comments(String key) {
        return store.comments.snapshots(key);
    }

    /** The issue's status key. */
    public String statusKey(String key) {
        return String.valueOf(((Map<?, ?>) issue(key).get("status")).get("key"));
    }

    /** The texts of the issue's comments, oldest first (transition comments included). */
    public List<String> commentTexts(String key) {
        return comments(key).stream().map(c -> String.valueOf(c.get("text"))).toList();
    }

    public List<SentEmail> sentEmails() {
        return store.comments.sentEmails();
    }

    /** Called for every email comment, e.g. to deliver it over SMTP in the dev run. */
    public void onEmailSent(Consumer<SentEmail> listener) {
        store.comments.onEmailSent(listener);
    }

    /** Moves the fake's clock forward (it never goes back; every change still gets a later timestamp). */
    public void advanceClock(Duration duration) {
        store.advanceClock(duration);
    }

    /** Forgets issues, comments, attachments, emails, scrolls, calls and faults; keeps settings and tokens. */
    public void reset() {
        store.reset();
        router.resetCalls();
        faults.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** An OAuth access/refresh token pair. */
    public record TokenPair(String accessToken, String refreshToken) {}

    /**
     * Configuration of a fake. Start from {@link #defaults()} and refine with the {@code with*} methods.
     *
     * @param acceptAnyToken dev mode: any non-blank token works (until {@code expireAccessTokens()}); otherwise
     *     only tokens it issued, including {@code accessToken}/{@code refreshToken}
     * @param oauthClientId when set, {@code POST /token} also requires this client id and {@code oauthClientSecret}
     * @param searchRateLimit requests per second allowed on {@code _search}/{@code _count}, 0 = unlimited (Tracker
     *     guarantees 5)
     */
    public record Settings(
            int port,
            String queue,
            String orgId,
            boolean acceptAnyToken,
            String accessToken,
            String refreshToken,
            String oauthClientId,
            String oauthClientSecret,
            Duration latency,
            int searchRateLimit,
            List<Status> statuses,
            List<User> users,
            List<Field> globalFields,
            List<Field> localFields,
            Clock clock) {

        public Settings {
            Objects.requireNonNull(queue);
            Objects.requireNonNull(orgId);
            Objects.requireNonNull(latency);
            Objects.requireNonNull(clock);
            statuses = List.copyOf(statuses);
            users = List.copyOf(users);
            globalFields = List.copyOf(globalFields);
            localFields = List.copyOf(localFields);
            if (statuses.isEmpty() || users.isEmpty()) {
                throw new IllegalArgumentException("need at least one status and one user");
            }
        }

        /**
         * Queue {@code DISPATCH}, org {@code dev-org}, dev-mode tokens plus the pair {@code dev-access}/{@code
         * dev-refresh}, no latency, the dispatch workflow's statuses, a robot (the API user) and two dispatchers,
         * the upstream global fields and the local field {@code typeOfIncident}.
         */
        public static Settings defaults() {
            return new Settings(
                    0,
                    "DISPATCH",
                    "dev-org",
                    true,
                    "dev-access",
                    "dev-refresh",
                    null,
                    null,
                    Duration.ZERO,
                    0,
                    List.of(
                            new Status("open", "Открыт", "new"),
                            new Status("inProgress", "В работе", "inProgress"),
                            new Status("needAcceptance", "Требуется подтверждение", "paused"),
                            new Status("closed", "Закрыт", "done"),
                            new Status("error", "Ошибка", "paused"),
                            new Status("onGeneration", "На генерации", "paused"),
                            new Status("notifyOperatorInWork", "Уведомляем оператора", "inProgress"),
                            new Status("notifiedOperatorInWork", "Уведомили оператора", "inProgress"),
                            new Status("notifyOperatorClosed", "Уведомить о закрытии", "inProgress"),
                            new Status("notifiedOperatorClosed", "Уведомили о закрытии", "inProgress"),
                            new Status("notifyContractorInWork", "Передать подрядчику", "inProgress"),
                            new Status("notifiedContractorInWork", "Передано подрядчику", "inProgress")),
                    List.of(
                            new User("yndx-tracker-cnt-robot", 1130000070000001L, "Робот Трекера"),
                            new User("dispatcher", 1130000070000002L, "Анна Диспетчер"),
                            new User("petrov", 1130000070000003L, "Пётр Петров")),
                    List.of(
                            new Field("localId", Field.INTEGER),
                            new Field("emailsIds", Field.STRING),
                            new Field("localEmailsIds", Field.STRING),
                            new Field("poleNumber", Field.STRING),
                            new Field("baseStation", Field.STRING),
                            new Field("emailDatetime", Field.DATETIME),
                            new Field("isNewMsg", Field.STRING),
                            new Field("slaDeadline", Field.DATETIME),
                            new Field("slaStatus", Field.STRING),
                            new Field("operatorName", Field.STRING),
                            new Field("avrName", Field.STRING)),
                    List.of(new Field("typeOfIncident", Field.STRING)),
                    Clock.systemUTC());
        }

        /** A builder starting from {@link #defaults()}. */
        public static Builder builder() {
            return defaults().toBuilder();
        }

        public Builder toBuilder() {
            return new Builder(this);
        }

        /** Fluent copy-and-change of {@link Settings}. */
        public static final class Builder {
            private int port;
            private String queue;
            private String orgId;
            private boolean acceptAnyToken;
            private String accessToken;
            private String refreshToken;
            private String oauthClientId;
            private String oauthClientSecret;
            private Duration latency;
            private int searchRateLimit;
            private List<Status> statuses;
            private List<User> users;
            private List<Field> globalFields;
            private List<Field> localFields;
            private Clock clock;

            private Builder(Settings s) {
                port = s.port;
                queue = s.queue;
                orgId = s.orgId;
                acceptAnyToken = s.acceptAnyToken;
                accessToken = s.accessToken;
                refreshToken = s.refreshToken;
                oauthClientId = s.oauthClientId;
                oauthClientSecret = s.oauthClientSecret;
                latency = s.latency;
                searchRateLimit = s.searchRateLimit;
                statuses = s.statuses;
                users = s.users;
                globalFields = s.globalFields;
                localFields = s.localFields;
                clock = s.clock;
            }

            public Builder port(int port) {
                this.port = port;
                return this;
            }

            public Builder queue(String queue) {
                this.queue = queue;
                return this;
            }

            public Builder orgId(String orgId) {
                this.orgId = orgId;
                return this;
            }

            /** Dev mode (true) accepts any non-blank token; false accepts only issued ones. */
            public Builder acceptAnyToken(boolean acceptAnyToken) {
                this.acceptAnyToken = acceptAnyToken;
                return this;
            }

            /** The initial token pair; pass nulls for none. */
            public Builder tokens(String accessToken, String refreshToken) {
                this.accessToken = accessToken;
                this.refreshToken = refreshToken;
                return this;
            }

            public Builder oauthClient(String clientId, String clientSecret) {
                this.oauthClientId = clientId;
                this.oauthClientSecret = clientSecret;
                return this;
            }

            public Builder latency(Duration latency) {
                this.latency = latency;
                return this;
            }

            public Builder searchRateLimit(int perSecond) {
                this.searchRateLimit = perSecond;
                return this;
            }

            /** The first status is where new issues start. */
            public Builder statuses(List<Status> statuses) {
                this.statuses = statuses;
                return this;
            }

            /** The first user is the API user (the token owner); the second, if any, the UI dispatcher. */
            public Builder users(List<User> users) {
                this.users = users;
                return this;
            }

            public Builder globalFields(List<Field> globalFields) {
                this.globalFields = globalFields;
                return this;
            }

            public Builder localFields(List<Field> localFields) {
                this.localFields = localFields;
                return this;
            }

            public Builder clock(Clock clock) {
                this.clock = clock;
                return this;
            }

            public Settings build() {
                return new Settings(
                        port,
                        queue,
                        orgId,
                        acceptAnyToken,
                        accessToken,
                        refreshToken,
                        oauthClientId,
                        oauthClientSecret,
                        latency,
                        searchRateLimit,
                        statuses,
                        users,
                        globalFields,
                        localFields,
                        clock);
            }
        }
    }

    /** A workflow status; {@code type} is one of new, inProgress, paused, done, cancelled. */
    public record Status(String key, String display, String type) {}

    /** A Tracker user; refs to it carry {@code id = String.valueOf(uid)}. */
    public record User(String login, long uid, String display) {}

    /** A custom field accepted on issues; {@code type} is one of the constants. */
    public record Field(String key, String type) {
        public static final String STRING = "string";
        public static final String INTEGER = "integer";
        public static final String FLOAT = "float";
        public static final String DATE = "date";
        public static final String DATETIME = "datetime";
    }
}
