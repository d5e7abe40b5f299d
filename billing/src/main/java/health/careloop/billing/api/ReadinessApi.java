package health.careloop.billing.api;

import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.claims.MonthRules;
import health.careloop.billing.claims.PatientMonth;
import health.careloop.billing.datadays.DataDays;
import health.careloop.billing.ledger.TimeLedger;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.rules.MonitoringPeriod;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.QueryParams;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** {@code GET /billing/readiness} (BILLING): each patient's month so far: data days, minutes, codes billable and what is missing. */
public final class ReadinessApi {
    private final MonthClose close;
    private final TimeLedger ledger;
    private final Directory directory;
    private final ClaimsJson claims;
    private final Clock clock;

    public ReadinessApi(MonthClose close, TimeLedger ledger, Directory directory, Clock clock) {
        this.close = close;
        this.ledger = ledger;
        this.directory = directory;
        this.claims = new ClaimsJson(directory);
        this.clock = clock;
    }

    public void mount(Router api) {
        api.get("/billing/readiness").handler(this::readiness);
    }

    private void readiness(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = BillingRequests.practice(principal, ctx);
            if (!ledger.practiceExists(practiceId)) {
                throw ApiException.notFound("No practice " + practiceId + ".");
            }
            ZoneId zone = ledger.zoneOf(practiceId);
            YearMonth month = BillingRequests.month(QueryParams.string(ctx, "month").orElse(null), zone);
            LocalDate today = LocalDate.now(clock.withZone(zone));
            LocalDate asOf = today.isBefore(month.atEndOfMonth()) ? today : month.atEndOfMonth();
            // One query for the practice's references, not one per patient listed (readiness of 100,000 patients).
            Map<UUID, String> refs = new HashMap<>(directory.externalRefs(practiceId));
            JsonArray patients = new JsonArray();
            JsonArray warnings = new JsonArray();
            close.evaluate(practiceId, zone, month, asOf, r -> {
                PatientMonth f = r.facts();
                JsonObject p = new JsonObject().put("patientId", r.patientId().toString()).put("externalRef", claims.externalRef(refs, r.patientId()));
                // Only days covered for RPM count, as at the close (readings before consent are no data days).
                java.util.Set<LocalDate> counted = f.dataDays().stream().filter(d -> f.coverage(Program.RPM, d).ready())
                        .collect(java.util.stream.Collectors.toSet());
                if (f.monitoringStart() != null && !asOf.isBefore(f.monitoringStart())) {
                    MonitoringPeriod current = MonitoringPeriod.containing(f.monitoringStart(), asOf);
                    p.put("currentPeriod", new JsonObject().put("start", current.start().toString()).put("end", current.end().toString())
                            .put("dataDaysSoFar", DataDays.inPeriod(counted, current, asOf))
                            .put("dataDaysNotCounted", DataDays.inPeriod(f.dataDays(), current, asOf) - DataDays.inPeriod(counted, current, asOf))
                            .put("daysLeft", current.daysLeftFrom(asOf) - 1)
                            .put("dataDaysNeededFor99454", Math.max(0, 16 - DataDays.inPeriod(counted, current, asOf))));
                }
                p.put("dataDaysInMonth", DataDays.inMonth(counted, month, asOf));
                p.put("minutes", new JsonObject()
                        .put("rpm", MonthRules.minutesInMonth(f, Program.RPM, false))
                        .put("rpmPhysician", MonthRules.minutesInMonth(f, Program.RPM, true))
                        .put("ccm", MonthRules.minutesInMonth(f, Program.CCM, false))
                        .put("ccmPhysician", MonthRules.minutesInMonth(f, Program.CCM, true))
                        .put("pcm", MonthRules.minutesInMonth(f, Program.PCM, false))
                        .put("pcmPhysician", MonthRules.minutesInMonth(f, Program.PCM, true)));
                p.put("billableSoFar", claims.lines(r.outcome().lines(), refs));
                warnings.addAll(claims.warnings(r.outcome().lines(), refs));
                p.put("missing", ClaimsJson.notBilled(r.outcome().notBilled()));
                patients.add(p);
            });
            return new JsonObject().put("month", month.toString()).put("asOf", asOf.toString()).put("timeZone", zone.getId())
                    .put("daysLeftInMonth", (int) (month.atEndOfMonth().toEpochDay() - asOf.toEpochDay())).put("patients", patients)
                    .put("warnings", warnings);
        });
    }
}
