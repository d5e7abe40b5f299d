package health.careloop.billing.api;

import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.claims.NotBilled;
import health.careloop.common.directory.Directory;
import health.careloop.common.directory.Patient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Claim lines and codes not billed as the API answers them (close, claims.json, readiness), each line with the
 * patient's external reference.
 */
final class ClaimsJson {
    private final Directory directory;

    ClaimsJson(Directory directory) {
        this.directory = directory;
    }

    JsonObject closed(MonthClose.Closed c) {
        Map<UUID, String> refs = new HashMap<>();
        return new JsonObject().put("practiceId", c.practiceId().toString()).put("month", c.month().toString()).put("closedBy", c.closedBy())
                .put("closedAt", c.closedAt().toString()).put("alreadyClosed", c.alreadyClosed()).put("lineCount", c.lines().size())
                .put("totalCharge", c.total().toPlainString()).put("lines", lines(c.lines(), refs)).put("notBilled", notBilled(c.notBilled()))
                .put("warnings", warnings(c.lines(), refs));
    }

    /** {@code refs} caches the patients' external references across calls of one request. */
    JsonArray lines(List<ClaimLine> lines, Map<UUID, String> refs) {
        JsonArray out = new JsonArray();
        for (ClaimLine l : lines) {
            out.add(new JsonObject().put("patientId", l.patientId().toString()).put("externalRef", externalRef(refs, l.patientId()))
                    .put("code", l.code().cpt()).put("program", l.code().program().wireName()).put("units", l.units())
                    .put("dateOfService", l.dateOfService().toString()).put("periodStart", l.periodStart().toString())
                    .put("periodEnd", l.periodEnd().toString()).put("diagnoses", new JsonArray(l.diagnoses()))
                    .put("billingPractitionerId", l.billingPractitionerId().toString()).put("billingNpi", l.billingNpi())
                    .put("placeOfService", l.placeOfService()).put("charge", l.charge() == null ? null : l.charge().toPlainString())
                    .put("warning", l.missingFeeWarning())
                    .put("minutesCounted", l.minutesCounted()).put("dataDays", l.dataDays()).put("justification", l.justification()));
        }
        return out;
    }

    /** Billable lines without a fee, in words a biller acts on (one per line, naming the patient's reference). */
    JsonArray warnings(List<ClaimLine> lines, Map<UUID, String> refs) {
        JsonArray out = new JsonArray();
        for (ClaimLine l : lines) {
            if (l.charge() == null) {
                String ref = externalRef(refs, l.patientId());
                out.add("Patient " + (ref == null ? l.patientId() : ref) + ": " + l.missingFeeWarning());
            }
        }
        return out;
    }

    static JsonArray notBilled(List<NotBilled> list) {
        JsonArray out = new JsonArray();
        for (NotBilled n : list) {
            out.add(new JsonObject().put("patientId", n.patientId().toString()).put("code", n.code().cpt())
                    .put("periodEnd", n.periodEnd().toString()).put("reason", n.reason()));
        }
        return out;
    }

    /** The patient's external reference (MRN), looked up once per request and patient. */
    String externalRef(Map<UUID, String> cache, UUID patientId) {
        return cache.computeIfAbsent(patientId, id -> {
            try {
                return directory.patient(id).map(Patient::externalRef).orElse(null);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
