package health.careloop.billing.api;

import health.careloop.billing.corrections.Correction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Corrections after close as the API answers them (the corrections routes and claims.json). */
final class CorrectionsJson {
    private final ClaimsJson claims;

    CorrectionsJson(ClaimsJson claims) {
        this.claims = claims;
    }

    JsonArray array(List<Correction> corrections, Map<UUID, String> refs) {
        JsonArray out = new JsonArray();
        for (Correction k : corrections) {
            out.add(new JsonObject().put("id", k.id().toString()).put("patientId", k.patientId().toString())
                    .put("externalRef", claims.externalRef(refs, k.patientId())).put("claimControlNumber", k.claimControlNumber())
                    .put("version", k.version()).put("frequency", k.frequency().code()).put("kind", k.kind())
                    .put("status", k.status().name().toLowerCase(java.util.Locale.ROOT)).put("waitingFor", k.waitingFor())
                    .put("payerClaimControlNumber", k.payerClaimControlNumber()).put("changes", new JsonArray(k.changes()))
                    .put("billedCharge", k.billedCharge().toPlainString()).put("lines", claims.lines(k.lines(), refs))
                    .put("createdBy", k.createdBy()).put("createdAt", k.createdAt().toString()));
        }
        return out;
    }
}
