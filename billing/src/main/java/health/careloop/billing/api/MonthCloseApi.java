package health.careloop.billing.api;

import health.careloop.billing.claims.MonthClose;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.db.PracticeScope;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiResponses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.YearMonth;
import java.util.UUID;

/** {@code POST /billing/months/{month}/close} (BILLING): closes an ended month into claim lines, idempotently. */
public final class MonthCloseApi {
    private final MonthClose close;
    private final ClaimsJson claims;

    public MonthCloseApi(MonthClose close, Directory directory) {
        this.close = close;
        this.claims = new ClaimsJson(directory);
    }

    public void mount(Router api) {
        api.post("/billing/months/:month/close").handler(this::close);
    }

    private void close(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = BillingRequests.practice(principal, ctx);
            YearMonth month = BillingRequests.month(ctx.pathParam("month"), null);
            // The caller may close this practice's month (checked above); the close names the practice in every
            // statement and writes with COPY, which PostgreSQL refuses under row-level security.
            return claims.closed(PracticeScope.batchForPractice(() -> close.close(practiceId, month, principal.actor())));
        });
    }
}
