package health.careloop.billing.api;

import health.careloop.billing.claims.BillingCode;
import health.careloop.billing.claims.BillingSetting;
import health.careloop.billing.claims.BillingSettings;
import health.careloop.billing.claims.FeeSchedule;
import health.careloop.billing.settings.PracticeBillingSettings;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET/PUT /billing/fees} and {@code GET/PUT /billing/settings} (BILLING): the practice's fee schedule and the rule
 * choices billing-rules.md section 8 leaves to it, each with the day it takes effect.
 */
public final class BillingSettingsApi {
    private final PracticeBillingSettings settings;
    private final Directory directory;

    public BillingSettingsApi(PracticeBillingSettings settings, Directory directory) {
        this.settings = settings;
        this.directory = directory;
    }

    public void mount(Router api) {
        api.get("/billing/fees").handler(this::getFees);
        api.put("/billing/fees").handler(this::putFees);
        api.get("/billing/settings").handler(this::getSettings);
        api.put("/billing/settings").handler(this::putSettings);
    }

    private void getFees(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        LocalDate on = QueryParams.date(ctx, "on").orElse(null);
        ApiResponses.respondBlocking(ctx, 200, () -> feesJson(existingPractice(principal, ctx), on));
    }

    /** Body: {@code {"effectiveFrom": "2026-01-01", "source": "...", "fees": {"99437": "80.00", ...}}}; amounts as decimal strings. */
    private void putFees(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        RequestBody body = RequestBody.of(ctx);
        LocalDate from = body.date("effectiveFrom");
        String source = body.optionalString("source", 200).orElse(null);
        RequestBody fees = body.object("fees");
        if (fees.fieldNames().isEmpty()) {
            throw ApiException.badRequest("'fees' must name at least one code.");
        }
        List<FeeSchedule.Fee> list = new ArrayList<>();
        for (String code : fees.fieldNames()) {
            BillingCode billingCode;
            try {
                billingCode = BillingCode.ofCpt(code);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("'" + fees.name(code) + "': CareLoop does not bill " + code + "; the codes are " + codes() + ".");
            }
            try {
                list.add(new FeeSchedule.Fee(billingCode, from, PracticeBillingSettings.amount(fees.string(code, 12)), source));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("'" + fees.name(code) + "': " + e.getMessage() + ".");
            }
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = existingPractice(principal, ctx);
            settings.saveFees(practiceId, list, principal.actor());
            return feesJson(practiceId, from);
        });
    }

    private void getSettings(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        YearMonth month = BillingRequests.month(QueryParams.string(ctx, "month").orElse(null), ZoneOffset.UTC);
        ApiResponses.respondBlocking(ctx, 200, () -> settingsJson(existingPractice(principal, ctx), month));
    }

    /** Body: {@code {"effectiveFrom": "2026-07", "settings": {"max99458Units": "3"}}}: from that billing month on. */
    private void putSettings(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        RequestBody body = RequestBody.of(ctx);
        String fromText = body.string("effectiveFrom", 7);
        if (!fromText.matches("(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])")) {
            throw ApiException.badRequest("'effectiveFrom' must be the billing month the values apply from, YYYY-MM.");
        }
        YearMonth from = YearMonth.parse(fromText);
        RequestBody values = body.object("settings");
        if (values.fieldNames().isEmpty()) {
            throw ApiException.badRequest("'settings' must name at least one setting.");
        }
        Map<BillingSetting, String> chosen = new EnumMap<>(BillingSetting.class);
        for (String name : values.fieldNames()) {
            BillingSetting setting = BillingSetting.ofWire(name).orElseThrow(() -> ApiException.badRequest("'" + values.name(name)
                    + "' is not a billing setting; the settings are " + String.join(", ", java.util.Arrays.stream(BillingSetting.values())
                    .map(BillingSetting::wireName).toList()) + "."));
            try {
                chosen.put(setting, setting.check(values.string(name, 40)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("'" + values.name(name) + "': " + e.getMessage() + ".");
            }
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = existingPractice(principal, ctx);
            settings.saveSettings(practiceId, from.atDay(1), chosen, principal.actor());
            return settingsJson(practiceId, from);
        });
    }

    private JsonObject feesJson(UUID practiceId, LocalDate on) throws Exception {
        List<PracticeBillingSettings.StoredFee> stored = settings.fees(practiceId);
        JsonArray codes = new JsonArray();
        for (BillingCode code : BillingCode.values()) {
            JsonArray history = new JsonArray();
            JsonObject inEffect = null;
            for (PracticeBillingSettings.StoredFee f : stored) {
                if (f.fee().code() != code) {
                    continue;
                }
                JsonObject row = feeJson(f);
                history.add(row);
                if (on == null || !f.fee().effectiveFrom().isAfter(on)) {
                    inEffect = row; // history is in date order: the last one on or before the day
                }
            }
            codes.add(new JsonObject().put("code", code.cpt()).put("program", code.program().wireName()).put("inEffect", inEffect)
                    .put("history", history));
        }
        JsonArray missing = new JsonArray();
        codes.forEach(o -> {
            JsonObject c = (JsonObject) o;
            if (c.getJsonObject("inEffect") == null) {
                missing.add(c.getString("code"));
            }
        });
        return new JsonObject().put("practiceId", practiceId.toString()).put("on", on == null ? null : on.toString()).put("codes", codes)
                .put("codesWithoutFee", missing);
    }

    private static JsonObject feeJson(PracticeBillingSettings.StoredFee f) {
        return new JsonObject().put("effectiveFrom", f.fee().effectiveFrom().toString()).put("amount", f.fee().amount().toPlainString())
                .put("source", f.fee().source()).put("updatedBy", f.updatedBy()).put("updatedAt", f.updatedAt().toString());
    }

    private JsonObject settingsJson(UUID practiceId, YearMonth month) throws Exception {
        BillingSettings inEffect = settings.settingsFor(practiceId, month);
        List<PracticeBillingSettings.SettingValue> history = settings.history(practiceId);
        List<PracticeBillingSettings.SettingValue> current = settings.inEffect(practiceId, month.atDay(1));
        JsonArray out = new JsonArray();
        for (BillingSetting s : BillingSetting.values()) {
            PracticeBillingSettings.SettingValue set = current.stream().filter(v -> v.setting() == s).findFirst().orElse(null);
            JsonArray changes = new JsonArray();
            for (PracticeBillingSettings.SettingValue v : history) {
                if (v.setting() == s) {
                    changes.add(new JsonObject().put("effectiveFrom", YearMonth.from(v.effectiveFrom()).toString()).put("value", v.value())
                            .put("updatedBy", v.updatedBy()).put("updatedAt", v.updatedAt().toString()));
                }
            }
            out.add(new JsonObject().put("name", s.wireName()).put("value", s.valueIn(inEffect))
                    .put("effectiveFrom", set == null ? null : YearMonth.from(set.effectiveFrom()).toString())
                    .put("default", s.valueIn(settings.defaults())).put("values", new JsonArray(s.allowed()))
                    .put("whatItChanges", s.changes()).put("source", s.source()).put("history", changes));
        }
        return new JsonObject().put("practiceId", practiceId.toString()).put("month", month.toString()).put("settings", out);
    }

    private static String codes() {
        return String.join(", ", java.util.Arrays.stream(BillingCode.values()).map(BillingCode::cpt).toList());
    }

    /** The practice the request acts on (as {@link BillingRequests#practice}), which must exist: 404 otherwise. */
    private UUID existingPractice(Principal principal, RoutingContext ctx) throws Exception {
        UUID practiceId = BillingRequests.practice(principal, ctx);
        if (directory.practice(practiceId).isEmpty()) {
            throw ApiException.notFound("No practice " + practiceId + ".");
        }
        return practiceId;
    }
}
