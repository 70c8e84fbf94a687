package dispatch.standin.tracker;

import dispatch.standin.tracker.Http.Request;
import dispatch.standin.tracker.Http.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Issues: create, find by unique, get, patch, transitions, search (pages and scroll) and count. */
final class IssueRoutes {

    private static final int MAX_PER_SCROLL = 1000;

    private final Store store;
    private final Scrolls scrolls = new Scrolls();

    IssueRoutes(Store store) {
        this.store = store;
        store.onReset(scrolls::clearAll);
    }

    void register(Router router) {
        router.add("POST", "/issues/_search", this::search);
        router.add("POST", "/issues/_count", this::count);
        router.add("POST", "/issues/_findByUnique", this::findByUnique);
        router.add("POST", "/system/search/scroll/_clear", this::clearScroll);
        router.add("POST", "/issues/", (q, r) -> Response.json(201, store.create(q.json(), r)));
        router.add("GET", "/issues/{key}", this::get);
        router.add("PATCH", "/issues/{key}", this::patch);
        router.add(
                "GET",
                "/issues/{key}/transitions",
                (q, r) -> Response.ok(store.read(s -> r.transitions(s.find(q.param(0))))));
        router.add(
                "POST",
                "/issues/{key}/transitions/{id}/_execute",
                (q, r) -> Response.ok(
                        store.read(s -> r.transitions(s.execute(q.param(0), q.param(1), q.json(), actor())))));
    }

    private long actor() {
        return store.catalog.apiUser().uid();
    }

    private Response findByUnique(Request q, Render r) {
        String unique = q.query("unique");
        if (unique == null) {
            unique = q.json().path("unique").asString(null);
        }
        if (unique == null) {
            throw TrackerException.badRequest("Parameter unique is required");
        }
        return Response.ok(store.findByUnique(unique, r));
    }

    private Response get(Request q, Render r) {
        String expand = q.query("expand") == null ? "" : q.query("expand");
        boolean all = expand.contains("all");
        return Response.ok(
                store.get(q.param(0), r, all || expand.contains("transitions"), all || expand.contains("attachments")));
    }

    /** {@code ?version=N} or {@code If-Match: "N"} makes the PATCH conditional (409 on mismatch). */
    private Response patch(Request q, Render r) {
        String version = q.query("version");
        String ifMatch = q.header("If-Match");
        if (version == null && ifMatch != null) {
            version = ifMatch.replace("W/", "").replace("\"", "").trim();
        }
        Integer expected = null;
        if (version != null) {
            try {
                expected = Integer.valueOf(version);
            } catch (NumberFormatException e) {
                throw TrackerException.badRequest("Invalid version: " + version);
            }
        }
        return Response.ok(store.patch(q.param(0), q.json(), expected, actor(), r));
    }

    private Response count(Request q, Render r) {
        return Response.text(200, String.valueOf(store.search(q.json()).size()));
    }

    private Response search(Request q, Render r) {
        JsonNode body = q.json();
        String expand = q.query("expand") == null ? "" : q.query("expand");
        boolean transitions = expand.contains("transitions");
        boolean attachments = expand.contains("attachments");
        long ttl = q.intQuery("scrollTTLMillis", 60_000);
        if (q.query("scrollId") != null) {
            return scrollPage(q, r, scrolls.next(q.query("scrollId"), q.query("scrollToken"), ttl));
        }
        if (q.query("scrollType") != null) {
            if (Search.given(body, "keys") || Search.given(body, "queue")) {
                throw TrackerException.badRequest("Scroll is not supported");
            }
            int perScroll = q.intQuery("perScroll", 100);
            if (perScroll < 1 || perScroll > MAX_PER_SCROLL) {
                throw TrackerException.badRequest("perScroll must be between 1 and " + MAX_PER_SCROLL);
            }
            List<ObjectNode> snapshot = store.read(s -> render(s, s.search(body), r, transitions, attachments));
            return scrollPage(q, r, scrolls.start(store.hex(), snapshot, perScroll, ttl));
        }
        int perPage = q.intQuery("perPage", 50);
        int page = q.intQuery("page", 1);
        if (perPage < 1 || page < 1) {
            throw TrackerException.badRequest("page and perPage must be positive");
        }
        return store.read(s -> {
            List<Issue> hits = s.search(body);
            int total = hits.size();
            int pages = (total + perPage - 1) / perPage;
            int from = Math.min(total, (page - 1) * perPage);
            List<ObjectNode> items =
                    render(s, hits.subList(from, Math.min(total, from + perPage)), r, transitions, attachments);
            ArrayNode array = Json.array();
            items.forEach(array::add);
            String link = "<" + pageUrl(q, r, 1, perPage) + ">; rel=\"first\"";
            if (page < pages) {
                link += ", <" + pageUrl(q, r, page + 1, perPage) + ">; rel=\"next\"";
            }
            return Response.ok(array)
                    .header("X-Total-Count", String.valueOf(total))
                    .header("X-Total-Pages", String.valueOf(pages))
                    .header("Link", link);
        });
    }

    private static List<ObjectNode> render(Store s, List<Issue> hits, Render r, boolean transitions, boolean files) {
        List<ObjectNode> out = new ArrayList<>();
        hits.forEach(i -> out.add(r.issue(i, transitions, files ? s::file : null)));
        return out;
    }

    private static String pageUrl(Request q, Render r, int page, int perPage) {
        String expand = q.query("expand");
        return r.url("/issues/_search?") + (expand == null ? "" : "expand=" + enc(expand) + "&") + "page=" + page
                + "&perPage=" + perPage;
    }

    private Response scrollPage(Request q, Render r, Scrolls.Page page) {
        ArrayNode items = page.items();
        String base = r.url("/issues/_search?scrollTTLMillis=" + q.intQuery("scrollTTLMillis", 60_000));
        String link = "<" + base + "&scrollId=" + page.id() + "&scrollToken=" + enc(page.token()) + ">; rel=\"first\"";
        Response response = Response.ok(items).header("X-Total-Count", String.valueOf(page.total()));
        if (!page.last()) {
            link += ", <" + base + "&scrollId=" + page.id() + "&scrollToken=" + enc(page.token()) + ">; rel=\"next\"";
            response.header("X-Scroll-Id", page.id()).header("X-Scroll-Token", page.token());
        }
        return response.header("Link", link);
    }

    /** The body maps scroll ids to tokens: {@code {"<scrollId>": "<scrollToken>"}}. */
    private Response clearScroll(Request q, Render r) {
        JsonNode body = q.json();
        scrolls.clear(body.propertyNames());
        return Response.ok(Json.object());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
