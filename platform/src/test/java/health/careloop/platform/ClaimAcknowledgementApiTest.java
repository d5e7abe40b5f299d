package health.careloop.platform;

import health.careloop.billing.acks.AcknowledgementFiles;
import health.careloop.billing.acks.AcknowledgementFiles.ClaimAnswer;
import health.careloop.billing.acks.AcknowledgementFiles.SegmentError;
import health.careloop.billing.export.Claim837Export;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18, claim acknowledgements through the API: a closed month's 837P downloaded (its claims sent), then 999 and
 * 277CA files built with x12-parser and uploaded as a biller would: a 999 that rejects the whole transaction, the claims
 * fixed and sent again, a 999 that accepts, a 277CA that accepts one claim and rejects the other, the same file twice, a
 * malformed file, another practice's file, a payer claim number entered by hand; each status in claim-statuses and in
 * the claims CSV's claim_status column; refusals for the wrong role, another practice and bad input.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClaimAcknowledgementApiTest {
    static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

    static Platform platform;
    static TestPractices practices;
    static ApiClient system;
    static YearMonth lastMonth;

    @BeforeAll
    static void start() throws Exception {
        platform = EmbeddedPlatforms.start();
        practices = TestPractices.of(platform);
        system = practices.system();
        lastMonth = YearMonth.now(CHICAGO).minusMonths(1);
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    /** A practice with a nurse, a doctor, a biller and an administrator. */
    record Practice(String id, ApiClient nurse, String nurseId, String doctorId, ApiClient biller, ApiClient admin) {
    }

    static Practice practice(String name) throws Exception {
        String id = practices.practice(name, CHICAGO.getId());
        JsonObject nurse = practices.staff(id, "rn", "Nurse, Nina", null);
        String doctor = practices.staff(id, "physician", "Okafor, Adaeze", BillingExportApiTest.DOCTOR_NPI).getString("id");
        return new Practice(id, practices.signIn(nurse.getString("email")), nurse.getString("id"), doctor,
                practices.signedIn(id, "billing", "Biller, Bo", null), practices.signedIn(id, "admin", "Admin, Ada", null));
    }

    /** An RPM patient with demographics and a 25-minute call on {@code day} of last month (99457). */
    static String billedPatient(Practice p, String given, String family, String mbi, int day) throws Exception {
        String patient = system.id(system.post("/api/v1/patients", new JsonObject().put("practiceId", p.id())
                .put("externalRef", "MRN-" + UUID.randomUUID().toString().substring(0, 8))));
        LocalDate since = LocalDate.now(CHICAGO).minusDays(70);
        assertThat(p.nurse().post("/api/v1/patients/" + patient + "/conditions", new JsonObject().put("icd10", "I10").put("description", "Hypertension")
                .put("onset", "2019-01-01").put("expectedDuration", "lifelong").put("significantRisk", true)).status()).isEqualTo(201);
        assertThat(p.nurse().post("/api/v1/patients/" + patient + "/consents", new JsonObject().put("program", "rpm").put("method", "written")
                .put("obtainedOn", since.toString()).put("obtainedBy", p.nurseId()).put("told", new JsonObject().put("costSharing", true))
                .put("accepted", true)).status()).isEqualTo(201);
        assertThat(p.nurse().post("/api/v1/patients/" + patient + "/enrolments", new JsonObject().put("program", "rpm")
                .put("startDate", since.toString()).put("billingPractitionerId", p.doctorId())).status()).isEqualTo(201);
        assertThat(p.nurse().post("/api/v1/patients/" + patient + "/profile", new JsonObject().put("givenName", given).put("familyName", family)
                .put("birthDate", "1948-05-17").put("sex", "female").put("mbi", mbi).put("address", new JsonObject().put("line1", "12 Elm St")
                        .put("city", "Evanston").put("state", "IL").put("zip", "60201"))).status()).isEqualTo(200);
        String start = lastMonth.atDay(day).atTime(9, 0).atZone(CHICAGO).toInstant().toString();
        String end = lastMonth.atDay(day).atTime(9, 25).atZone(CHICAGO).toInstant().toString();
        var logged = p.nurse().post("/api/v1/time-entries", new JsonObject().put("patientId", patient).put("program", "rpm").put("activity", "patient_call")
                .put("startedAt", start).put("endedAt", end).put("interactive", true).put("interactionMode", "phone"));
        assertThat(logged.status()).as(logged.body()).isEqualTo(201);
        return patient;
    }

    /** Closes last month, sets the billing profile and downloads the 837P: its claims are then sent. */
    static String closeAndSend(Practice p) throws Exception {
        assertThat(p.biller().post("/api/v1/billing/months/" + lastMonth + "/close", "{}").status()).isEqualTo(200);
        assertThat(p.biller().put("/api/v1/billing/profile", BillingExportApiTest.validProfile()).status()).isEqualTo(200);
        var file = p.biller().getResponse("/api/v1/billing/months/" + lastMonth + "/claims.837");
        assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
        return file.body();
    }

    static ApiClient.Response upload(ApiClient who, String text) throws Exception {
        return who.post("/api/v1/billing/acknowledgements", text, "application/edi-x12");
    }

    static Map<String, JsonObject> statuses(Practice p) throws Exception {
        var answer = p.biller().get("/api/v1/billing/months/" + lastMonth + "/claim-statuses");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        Map<String, JsonObject> byClaim = new HashMap<>();
        answer.json().getJsonArray("claims").forEach(o -> byClaim.put(((JsonObject) o).getString("claimControlNumber"), (JsonObject) o));
        return byClaim;
    }

    @Test
    void acknowledgementsMoveEachClaimFromSentToAcceptedOrRejectedWithThePayersWords() throws Exception {
        Practice a = practice("Acks A");
        String ann = billedPatient(a, "Ann", "Poe", "1EG4TE5MK73", 3);
        String bob = billedPatient(a, "Bob", "Roe", "2CD5EF6GH78", 4);
        closeAndSend(a);
        String annClaim = Claim837Export.claimControlNumber(UUID.fromString(ann), lastMonth, 1);
        String bobClaim = Claim837Export.claimControlNumber(UUID.fromString(bob), lastMonth, 1);
        long group = Claim837Export.interchangeControlNumber(UUID.fromString(a.id()), lastMonth);

        Map<String, JsonObject> sent = statuses(a);
        assertThat(sent.keySet()).containsExactlyInAnyOrder(annClaim, bobClaim);
        assertThat(sent.get(annClaim).getString("status")).isEqualTo("sent");
        assertThat(sent.get(annClaim).getJsonArray("codes").getList()).containsExactly("99457");
        assertThat(sent.get(annClaim).getLong("groupControlNumber")).isEqualTo(group);
        assertThat(sent.get(annClaim).getString("sentBy")).startsWith("staff:");

        // ---- refusals: the wrong role, nothing sent, a malformed file (nothing applied)
        assertThat(upload(a.nurse(), AcknowledgementFiles.ack999("9001", group, "A", "A", List.of())).status()).isEqualTo(403);
        assertThat(a.nurse().get("/api/v1/billing/months/" + lastMonth + "/claim-statuses").status()).isEqualTo(403);
        var empty = upload(a.biller(), "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().getString("message")).contains("Send the 999 or 277CA file");
        var notX12 = upload(a.biller(), "Your claims were received. Thank you.");
        assertThat(notX12.status()).isEqualTo(400);
        assertThat(notX12.json().getString("error")).isEqualTo("malformed_acknowledgement");
        assertThat(notX12.json().getString("message")).startsWith("This is not an X12 file");
        String whole = AcknowledgementFiles.ack277("9002", List.of(ClaimAnswer.rejected(annClaim, "A7", "21", "85")));
        var truncated = upload(a.biller(), whole.substring(0, whole.indexOf("\nSE*")));
        assertThat(truncated.status()).isEqualTo(400);
        assertThat(truncated.json().getString("message")).startsWith("The 277CA file is not well-formed, so nothing was applied");
        assertThat(statuses(a).get(annClaim).getString("status")).isEqualTo("sent");

        // ---- a 999 that rejects the whole transaction: every claim in it rejected, with the reason in words
        var rejected = upload(a.biller(), AcknowledgementFiles.ack999("9003", group, "R", "R",
                List.of(new SegmentError("NM1", 14, "2010BA", "8", 9, "1", bobClaim))));
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(rejected.json().getString("kind")).isEqualTo("999");
        assertThat(rejected.json().getInteger("applied")).isEqualTo(2);
        Map<String, JsonObject> afterReject = statuses(a);
        assertThat(afterReject.get(annClaim).getString("status")).isEqualTo("rejected");
        assertThat(afterReject.get(annClaim).getString("statusInWords")).startsWith("rejected: 999: the clearinghouse's 999 rejected the whole 837 "
                + "transaction 0001").contains("segment NM1 at position 14 (loop 2010BA)");
        assertThat(afterReject.get(bobClaim).getString("reason")).startsWith("999: this claim: segment NM1 at position 14");
        String csv = a.biller().get("/api/v1/billing/months/" + lastMonth + "/claims.csv").body();
        assertThat(csv).contains("rejected: 999: the clearinghouse's 999 rejected the whole 837 transaction 0001");

        // ---- fixed and sent again (downloaded again), then the clearinghouse accepts the file
        closeAndSendAgain(a);
        assertThat(statuses(a).get(annClaim).getString("status")).isEqualTo("sent");
        var accepted999 = upload(a.biller(), AcknowledgementFiles.ack999("9004", group, "A", "A", List.of()));
        assertThat(accepted999.json().getInteger("applied")).isEqualTo(2);
        assertThat(statuses(a).get(bobClaim).getString("status")).isEqualTo("received");

        // ---- the payer's 277CA: Ann accepted (no number given), Bob rejected for his member number
        String ack277 = AcknowledgementFiles.ack277("9005", List.of(new ClaimAnswer(annClaim, "A2", "20", "PR", null),
                ClaimAnswer.rejected(bobClaim, "A7", "164", "IL")));
        var partial = upload(a.biller(), ack277);
        assertThat(partial.status()).as(partial.body()).isEqualTo(200);
        assertThat(partial.json().getString("kind")).isEqualTo("277CA");
        assertThat(partial.json().getString("summary")).isEqualTo("277CA imported: 2 claim(s) updated, 0 unchanged, 0 not matched.");
        Map<String, JsonObject> answered = statuses(a);
        assertThat(answered.get(annClaim).getString("statusInWords")).isEqualTo("accepted by the payer");
        assertThat(answered.get(bobClaim).getString("statusInWords"))
                .isEqualTo("rejected: 277CA: A7 rejected for invalid information: 164 entity's contract/member number (subscriber)");
        csv = a.biller().get("/api/v1/billing/months/" + lastMonth + "/claims.csv").body();
        assertThat(csv).contains("\"Poe, Ann\"").contains("accepted by the payer").contains(",rejected: 277CA: A7 rejected for invalid information: 164 "
                + "entity's contract/member number (subscriber),");

        // ---- the same file twice changes nothing
        var twice = upload(a.biller(), ack277);
        assertThat(twice.json().getBoolean("alreadyImported")).isTrue();
        assertThat(twice.json().getString("summary")).startsWith("This 277CA was already imported on ").endsWith("; nothing changed.");
        assertThat(twice.json().getString("fileId")).isEqualTo(partial.json().getString("fileId"));
        assertThat(statuses(a)).isEqualTo(answered);

        // ---- the payer gives Ann's number only on the remittance: the biller enters it; who and when are kept
        String numberPath = "/api/v1/billing/claims/" + annClaim + "/payer-claim-number";
        assertThat(a.nurse().put(numberPath, new JsonObject().put("payerClaimNumber", "2226301234567")).status()).isEqualTo(403);
        var bad = a.biller().put(numberPath, new JsonObject().put("payerClaimNumber", "22263 01234"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().getString("message")).contains("'payerClaimNumber'").contains("letters, digits or hyphens");
        var entered = a.biller().put(numberPath, new JsonObject().put("payerClaimNumber", "2226301234567"));
        assertThat(entered.status()).as(entered.body()).isEqualTo(200);
        assertThat(entered.json().getString("payerClaimNumber")).isEqualTo("2226301234567");
        assertThat(entered.json().getString("payerClaimNumberSource")).isEqualTo("entered");
        assertThat(entered.json().getString("payerClaimNumberBy")).startsWith("staff:");
        assertThat(entered.json().getString("statusInWords")).isEqualTo("accepted by the payer (payer claim number 2226301234567)");
        var history = a.biller().get("/api/v1/billing/claims/" + annClaim + "/status");
        assertThat(history.json().getJsonArray("history").stream().map(o -> ((JsonObject) o).getString("status")).toList())
                .containsExactly("sent", "rejected", "sent", "received", "accepted", "accepted");
        assertThat(a.biller().put("/api/v1/billing/claims/" + Claim837Export.claimControlNumber(UUID.randomUUID(), lastMonth, 1)
                + "/payer-claim-number", new JsonObject().put("payerClaimNumber", "1")).status()).isEqualTo(404);
        assertThat(a.biller().get("/api/v1/billing/claims/not-a-claim/status").status()).isEqualTo(400);

        // ---- another practice: A's CLM01 in B's file is unmatched and not applied; B cannot read or number A's claims
        Practice b = practice("Acks B");
        var outsider = upload(b.biller(), AcknowledgementFiles.ack277("9006", List.of(ClaimAnswer.rejected(annClaim, "A6", "21", "85"))));
        assertThat(outsider.status()).as(outsider.body()).isEqualTo(200);
        assertThat(outsider.json().getInteger("applied")).isZero();
        assertThat(outsider.json().getJsonArray("unmatched").getString(0)).contains(annClaim).contains("not a claim of this practice");
        assertThat(outsider.body()).doesNotContain(ann);
        assertThat(b.biller().get("/api/v1/billing/claims/" + annClaim + "/status").status()).isEqualTo(404);
        assertThat(b.biller().put(numberPath, new JsonObject().put("payerClaimNumber", "666")).status()).isEqualTo(404);
        var b999 = upload(b.biller(), AcknowledgementFiles.ack999("9007", group, "R", "R", List.of()));
        assertThat(b999.json().getJsonArray("unmatched").getString(0)).contains("no 837 downloaded from CareLoop by this practice");
        assertThat(statuses(a).get(annClaim).getString("payerClaimNumber")).isEqualTo("2226301234567");
        assertThat(statuses(a).get(annClaim).getString("status")).isEqualTo("accepted");

        // ---- audited, naming the claims' patients
        awaitAudit("resource = '/api/v1/billing/acknowledgements' AND outcome = 200 AND practice_id = '" + a.id() + "' AND patient_ids @> ARRAY['"
                + ann + "', '" + bob + "']::uuid[]");
        awaitAudit("resource = '" + numberPath + "' AND outcome = 200 AND patient_id = '" + ann + "'");
    }

    private static void closeAndSendAgain(Practice p) throws Exception {
        var file = p.biller().getResponse("/api/v1/billing/months/" + lastMonth + "/claims.837");
        assertThat(file.statusCode()).as(file.body()).isEqualTo(200);
    }

    private static void awaitAudit(String condition) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            try (var c = java.sql.DriverManager.getConnection(platform.jdbcUrlForTests()); var st = c.createStatement();
                 var rs = st.executeQuery("SELECT count(*) FROM core.audit_event WHERE " + condition)) {
                rs.next();
                return rs.getLong(1) >= 1;
            }
        });
    }
}
