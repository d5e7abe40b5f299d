package health.careloop.billing.api;

import health.careloop.billing.profile.BillingProfile;
import health.careloop.billing.profile.BillingProfiles;
import health.careloop.billing.x12.BillingProvider;
import health.careloop.billing.x12.Claim837Writer;
import health.careloop.billing.x12.Payer;
import health.careloop.billing.x12.Receiver;
import health.careloop.billing.x12.Submitter;
import health.careloop.clinical.patients.Address;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.directory.Directory;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.ApiResponses;
import health.careloop.common.http.RequestBody;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/** {@code GET/PUT /billing/profile} (BILLING): who the practice's 837P comes from and goes to. */
public final class BillingProfileApi {
    private final BillingProfiles billingProfiles;
    private final Directory directory;

    public BillingProfileApi(BillingProfiles billingProfiles, Directory directory) {
        this.billingProfiles = billingProfiles;
        this.directory = directory;
    }

    public void mount(Router api) {
        api.get("/billing/profile").handler(this::getProfile);
        api.put("/billing/profile").handler(this::putProfile);
    }

    private void getProfile(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = existingPractice(principal, ctx);
            return profileJson(billingProfiles.find(practiceId).orElseThrow(() -> ApiException.notFound(
                    "The practice has no billing profile yet; set it with PUT /billing/profile.")));
        });
    }

    /** Replaces the profile as a whole; every field is checked by the X12 record it feeds, so the 400 says what the 837P needs. */
    private void putProfile(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.BILLING);
        RequestBody body = RequestBody.of(ctx);
        BillingProvider provider;
        Submitter submitter;
        Receiver receiver;
        Payer payer;
        Claim837Writer.Usage usage;
        try {
            RequestBody b = object(body, "billingProvider");
            RequestBody a = object(b, "address");
            provider = new BillingProvider(text(b, "organizationName"), text(b, "npi"), text(b, "ein"),
                    new Address(text(a, "line1"), text(a, "line2"), text(a, "city"), text(a, "state"), text(a, "zip")));
            RequestBody s = object(body, "submitter");
            submitter = new Submitter(text(s, "name"), text(s, "id"), text(s, "contactName"), text(s, "contactPhone"));
            RequestBody r = object(body, "receiver");
            receiver = new Receiver(text(r, "name"), text(r, "id"));
            RequestBody p = object(body, "payer");
            payer = new Payer(text(p, "name"), text(p, "payerId"));
            String u = text(body, "usage");
            usage = u == null ? Claim837Writer.Usage.TEST : BillingProfiles.usageFromWire(u)
                    .orElseThrow(() -> new IllegalArgumentException("usage must be test or production, not '" + u + "'"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "invalid_billing_profile", e.getMessage());
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            UUID practiceId = existingPractice(principal, ctx);
            return profileJson(billingProfiles.save(new BillingProfile(practiceId, provider, submitter, receiver, payer, usage, principal.actor(),
                    null)));
        });
    }

    private static RequestBody object(RequestBody parent, String field) {
        if (!parent.has(field)) {
            throw new IllegalArgumentException(parent.name(field) + " is required");
        }
        return parent.object(field);
    }

    /**
     * A string field or null; the X12 record decides whether null is allowed and what else it needs. One line of text:
     * no control characters (X12 would refuse them too, but after the profile was stored).
     */
    private static String text(RequestBody parent, String field) {
        return parent.optionalString(field, 200).orElse(null);
    }

    private static JsonObject profileJson(BillingProfile p) {
        BillingProvider b = p.billingProvider();
        Address a = b.address();
        return new JsonObject().put("practiceId", p.practiceId().toString())
                .put("billingProvider", new JsonObject().put("organizationName", b.organizationName()).put("npi", b.npi()).put("ein", b.ein())
                        .put("address", new JsonObject().put("line1", a.line1()).put("line2", a.line2()).put("city", a.city())
                                .put("state", a.state()).put("zip", a.zip())))
                .put("submitter", new JsonObject().put("name", p.submitter().name()).put("id", p.submitter().id())
                        .put("contactName", p.submitter().contactName()).put("contactPhone", p.submitter().contactPhone()))
                .put("receiver", new JsonObject().put("name", p.receiver().name()).put("id", p.receiver().id()))
                .put("payer", new JsonObject().put("name", p.payer().name()).put("payerId", p.payer().payerId()))
                .put("usage", BillingProfiles.wireName(p.usage()))
                .put("updatedBy", p.updatedBy()).put("updatedAt", p.updatedAt() == null ? null : p.updatedAt().toString());
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
