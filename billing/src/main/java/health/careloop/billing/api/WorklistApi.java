package health.careloop.billing.api;

import health.careloop.billing.ledger.TimeLedger;
import health.careloop.billing.worklist.NextThreshold;
import health.careloop.billing.worklist.Worklist;
import health.careloop.billing.worklist.WorklistEntry;
import health.careloop.common.audit.AuditTrail;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /care-management/worklist} (READ_CLINICAL): the practice's monthly care-management worklist for care
 * coordinators, "who to call today" first. The answer names every patient listed, so the audit trail records them.
 */
public final class WorklistApi {
    private final Worklist worklist;
    private final TimeLedger ledger;
    private final Clock clock;

    public WorklistApi(Worklist worklist, TimeLedger ledger, Clock clock) {
        this.worklist = worklist;
        this.ledger = ledger;
        this.clock = clock;
    }

    public void mount(Router api) {
        api.get("/care-management/worklist").handler(this::list);
    }

    private void list(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = BillingRequests.practice(principal, ctx);
            if (!ledger.practiceExists(practiceId)) {
                throw ApiException.notFound("No practice " + practiceId + ".");
            }
            ZoneId zone = ledger.zoneOf(practiceId);
            LocalDate today = LocalDate.now(clock.withZone(zone));
            List<WorklistEntry> entries = worklist.of(practiceId, zone, today);
            AuditTrail.patients(ctx, entries.stream().map(WorklistEntry::patientId).toList());
            JsonArray items = new JsonArray();
            entries.forEach(e -> items.add(json(e)));
            return new JsonObject().put("practiceId", practiceId.toString()).put("month", YearMonth.from(today).toString())
                    .put("today", today.toString()).put("daysLeftInMonth", today.lengthOfMonth() - today.getDayOfMonth() + 1).put("items", items);
        });
    }

    static JsonObject json(WorklistEntry e) {
        JsonArray programs = new JsonArray();
        for (WorklistEntry.ProgramProgress p : e.programs()) {
            programs.add(new JsonObject().put("program", p.program().wireName()).put("minutes", p.minutes())
                    .put("next", threshold(p.next())).put("minutesToNext", p.next() == null ? null : p.next().target() - p.minutes())
                    .put("counting", p.counting()).put("reason", p.reason()));
        }
        WorklistEntry.DataDayProgress d = e.dataDays();
        return new JsonObject().put("patientId", e.patientId().toString()).put("name", e.name()).put("programs", programs)
                .put("dataDays", d == null ? null : new JsonObject().put("days", d.days()).put("next", threshold(d.next()))
                        .put("daysToNext", d.next() == null ? null : d.next().target() - d.days())
                        .put("periodStart", d.periodStart().toString()).put("periodEnd", d.periodEnd().toString())
                        .put("daysLeftInPeriod", d.daysLeftInPeriod()))
                .put("lastContactAt", e.lastContact() == null ? null : e.lastContact().toString())
                .put("callToday", new JsonArray(e.callToday())).put("urgency", e.urgency() == Integer.MAX_VALUE ? null : e.urgency());
    }

    private static JsonObject threshold(NextThreshold t) {
        return t == null ? null : new JsonObject().put("target", t.target()).put("code", t.code());
    }
}
