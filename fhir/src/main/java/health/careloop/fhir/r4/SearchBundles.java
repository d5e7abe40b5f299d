package health.careloop.fhir.r4;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Search answers as FHIR searchset Bundles with absolute fullUrls and paging links: {@code self} (the request as
 * received) and {@code next} (the same search with our cursor) while more remains. Clients follow links, never build
 * cursors.
 */
public final class SearchBundles {
    public static final String MOUNT = "/fhir/r4";

    private SearchBundles() {
    }

    /** {@code http(s)://host[:port]/fhir/r4}, from the request as the client sent it. */
    public static String base(RoutingContext ctx) {
        String uri = ctx.request().absoluteURI();
        int at = uri.indexOf(MOUNT);
        return at < 0 ? uri : uri.substring(0, at + MOUNT.length());
    }

    public static Bundle searchset(RoutingContext ctx, List<? extends Resource> resources, String nextCursor) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        String base = base(ctx);
        String path = ctx.request().path();
        String self = base + path.substring(path.indexOf(MOUNT) + MOUNT.length());
        bundle.addLink().setRelation("self").setUrl(self + query(ctx.queryParams(), null));
        if (nextCursor != null) {
            bundle.addLink().setRelation("next").setUrl(self + query(ctx.queryParams(), nextCursor));
        }
        if (nextCursor == null && ctx.queryParams().get("_cursor") == null) {
            bundle.setTotal(resources.size());
        }
        for (Resource r : resources) {
            entry(bundle, base, r);
        }
        return bundle;
    }

    public static void entry(Bundle bundle, String base, Resource r) {
        Bundle.BundleEntryComponent entry = bundle.addEntry().setResource(r);
        if (r.hasIdElement() && r.getIdElement().hasIdPart()) {
            entry.setFullUrl(base + "/" + r.fhirType() + "/" + r.getIdElement().getIdPart());
        }
        entry.getSearch().setMode(Bundle.SearchEntryMode.MATCH);
    }

    /** The request's query with {@code _cursor} replaced (null: as received). */
    static String query(MultiMap params, String cursor) {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, String> p : params) {
            if (cursor != null && p.getKey().equals("_cursor")) {
                continue;
            }
            q.append(q.isEmpty() ? "?" : "&").append(encode(p.getKey())).append('=').append(encode(p.getValue()));
        }
        if (cursor != null) {
            q.append(q.isEmpty() ? "?" : "&").append("_cursor=").append(encode(cursor));
        }
        return q.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
