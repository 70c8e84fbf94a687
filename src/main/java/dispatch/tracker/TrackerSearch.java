package dispatch.tracker;

import dispatch.tracker.TrackerHttp.Answer;
import dispatch.tracker.TrackerHttp.Call;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;

/**
 * One {@code POST /v2/issues/_search} run: pages of {@code perPage} until {@code X-Total-Pages} (or a short page), so
 * a result that fits one page costs one request. Past {@code scrollAbove} results (Tracker's page-based output is
 * meant for up to 10,000) it switches to a sorted scroll.
 */
final class TrackerSearch {

    private static final int MAX_PER_SCROLL = 1000;
    private static final int SCROLL_TTL_MILLIS = 60_000;

    private final TrackerHttp http;
    private final Map<String, Object> body;
    private final int perPage;
    private final int scrollAbove;
    private int requests;

    TrackerSearch(TrackerHttp http, Map<String, Object> body, int perPage, int scrollAbove) {
        this.http = http;
        this.body = body;
        this.perPage = perPage;
        this.scrollAbove = scrollAbove;
    }

    /** Passes every issue to {@code each}; returns the number of requests made. */
    int run(Consumer<TrackerIssue> each) {
        for (int page = 1; ; page++) {
            Answer answer =
                    send(Call.of(HttpMethod.POST, "/v2/issues/_search?perPage={perPage}&page={page}", perPage, page));
            if (page == 1 && header(answer, "X-Total-Count", 0) > scrollAbove) {
                return scroll(each);
            }
            JsonNode items = http.json(answer);
            items.forEach(issue -> each.accept(TrackerIssue.of(issue)));
            if (items.size() < perPage || page >= header(answer, "X-Total-Pages", Integer.MAX_VALUE)) {
                return requests;
            }
        }
    }

    private int scroll(Consumer<TrackerIssue> each) {
        Answer answer = send(Call.of(
                HttpMethod.POST,
                "/v2/issues/_search?scrollType=sorted&perScroll={perScroll}&scrollTTLMillis={ttl}",
                Math.min(MAX_PER_SCROLL, perPage * 10),
                SCROLL_TTL_MILLIS));
        while (true) {
            JsonNode items = http.json(answer);
            items.forEach(issue -> each.accept(TrackerIssue.of(issue)));
            String id = answer.headers().getFirst("X-Scroll-Id");
            if (id == null || items.isEmpty()) {
                return requests;
            }
            // A repeated scroll step could skip a page, so it is not retried after it may have been served.
            answer = send(Call.of(
                            HttpMethod.POST,
                            "/v2/issues/_search?scrollId={id}&scrollToken={token}&scrollTTLMillis={ttl}",
                            id,
                            String.valueOf(answer.headers().getFirst("X-Scroll-Token")),
                            SCROLL_TTL_MILLIS)
                    .unsafe());
        }
    }

    private Answer send(Call call) {
        requests++;
        return http.send(call.body(body));
    }

    static int header(Answer answer, String name, int fallback) {
        String value = answer.headers().getFirst(name);
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
