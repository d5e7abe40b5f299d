package health.careloop.platform;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The care-team web app: static files from {@code webroot/} at {@code /}, the chart library from its WebJar at
 * {@code /vendor/uplot/}, and the security headers every response of this server carries. Nothing is fetched from
 * another origin, so the page works offline and the Content-Security-Policy can say 'self' only.
 */
final class WebApp {
    /**
     * 'self' only. style-src allows no inline styles: the page sets styles from script (CSSOM), which CSP permits.
     * Downloads are made from blob: URLs the page creates (the bearer token cannot ride on a plain link).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final String UPLOT_WEBJAR = "META-INF/resources/webjars/uplot/";

    private WebApp() {
    }

    /** Headers for every response; mount first. */
    static void securityHeaders(RoutingContext ctx) {
        ctx.response().headers()
                .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .set("X-Frame-Options", "DENY")
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
                .set("Cross-Origin-Opener-Policy", "same-origin");
        if (ctx.request().path().startsWith("/api/")) {
            // Patient data must not stay in a shared computer's cache.
            ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        ctx.next();
    }

    /** Mount after the API, so that /api/v1/* never reaches the static files. */
    static void mount(Router root) {
        root.get("/vendor/uplot/*").handler(StaticHandler.create(UPLOT_WEBJAR + uplotVersion() + "/dist")
                .setCachingEnabled(false).setDirectoryListing(false));
        root.get("/*").handler(ctx -> {
            // Revalidate every time (ETag/Last-Modified): a new CareLoop version takes effect on the next load.
            ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache");
            ctx.next();
        });
        root.get("/*").handler(StaticHandler.create("webroot").setIndexPage("index.html").setCachingEnabled(false)
                .setDirectoryListing(false).setIncludeHidden(false));
    }

    /** The WebJar's own record of its version, so the pom is the one place that names it. */
    static String uplotVersion() {
        String path = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";
        try (InputStream in = WebApp.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("The uPlot WebJar is not on the class path (" + path + ")");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
