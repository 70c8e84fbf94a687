package dispatch.standin.tracker;

import dispatch.standin.tracker.Http.Request;
import dispatch.standin.tracker.Http.Response;
import java.util.List;

/** Comments (cursor-paged list, add, edit, delete) and temporary attachments. */
final class CommentRoutes {

    private final Store store;

    CommentRoutes(Store store) {
        this.store = store;
    }

    void register(Router router) {
        router.add("GET", "/issues/{key}/comments", this::list);
        router.add(
                "POST",
                "/issues/{key}/comments",
                (q, r) -> Response.json(201, store.comments.add(q.param(0), q.json(), actor(), r)));
        router.add(
                "PATCH",
                "/issues/{key}/comments/{id}",
                (q, r) -> Response.ok(store.comments.edit(q.param(0), commentId(q), q.json(), actor(), r)));
        router.add("DELETE", "/issues/{key}/comments/{id}", (q, r) -> {
            store.comments.delete(q.param(0), commentId(q), actor());
            return Response.noContent();
        });
        router.add("POST", "/attachments/", this::upload);
    }

    private long actor() {
        return store.catalog.apiUser().uid();
    }

    private static long commentId(Request q) {
        try {
            return Long.parseLong(q.param(1));
        } catch (NumberFormatException e) {
            throw TrackerException.notFound("comment " + q.param(1));
        }
    }

    /** Relative paging: {@code id} is the cursor (the last comment seen), {@code perPage} defaults to 50. */
    private Response list(Request q, Render r) {
        int perPage = q.intQuery("perPage", 50);
        if (perPage < 1) {
            throw TrackerException.badRequest("perPage must be positive");
        }
        String cursor = q.query("id");
        Long after;
        try {
            after = cursor == null || cursor.isBlank() ? null : Long.valueOf(cursor);
        } catch (NumberFormatException e) {
            throw TrackerException.badRequest("Invalid comment id: " + cursor);
        }
        Comments.Page page = store.comments.list(q.param(0), after, perPage, r);
        Response response = Response.ok(page.items());
        if (page.next() != null) {
            String next = r.url("/issues/" + q.param(0) + "/comments?id=" + page.next() + "&perPage=" + perPage);
            response.header("Link", "<" + next + ">; rel=\"next\"");
        }
        return response;
    }

    /** Multipart with a {@code file} part; {@code ?filename=} overrides the part's file name. */
    private Response upload(Request q, Render r) {
        List<Multipart.Part> parts = Multipart.parse(q.header("Content-Type"), q.body());
        Multipart.Part file = parts.stream()
                .filter(p -> p.filename() != null || "file".equals(p.name()))
                .findFirst()
                .orElseThrow(() -> TrackerException.badRequest("No file part in the upload"));
        String name = q.query("filename") != null
                ? q.query("filename")
                : file.filename() != null && !file.filename().isBlank() ? file.filename() : "file";
        Attachment saved = store.addFile(name, file.contentType(), file.content());
        return Response.json(201, store.read(s -> r.attachment(saved)));
    }
}
