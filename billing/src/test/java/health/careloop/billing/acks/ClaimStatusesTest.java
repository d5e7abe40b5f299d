package health.careloop.billing.acks;

import health.careloop.billing.BillingTier;
import health.careloop.billing.claims.BillingSettings;
import health.careloop.billing.export.Claim837Export;
import health.careloop.clinical.ClinicalTier;
import health.careloop.common.config.DatabaseConfig;
import health.careloop.common.db.Database;
import health.careloop.common.directory.CoreSchema;
import health.careloop.ingest.config.StorageModePreference;
import health.careloop.ingest.storage.IngestSchema;
import health.careloop.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * billing.claim_status as other packages read it (the contract with corrections: the payer's claim control number of a
 * CLM01), and the writes that fill it: an 837 recorded as sent, a 277CA that accepts with REF*1K, a number a biller
 * enters by hand. Another practice's CLM01 is never found, read or written.
 */
class ClaimStatusesTest {
    static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

    static DatabaseConfig config;
    static Database database;
    static ClaimStatuses statuses;
    static AcknowledgementImport imports;

    @BeforeAll
    static void start() throws SQLException {
        config = TestDatabases.fresh();
        database = Database.connect(config);
        CoreSchema.migrate(database.dataSource());
        IngestSchema.migrate(database.dataSource(), StorageModePreference.POSTGRES);
        ClinicalTier.open(database);
        BillingTier.open(database.dataSource(), BillingSettings.defaults(), Clock.fixed(Instant.parse("2026-12-05T12:00:00Z"), ZoneOffset.UTC));
        statuses = new ClaimStatuses(database.dataSource());
        imports = new AcknowledgementImport(database.dataSource());
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
        if (config != null) {
            TestDatabases.drop(config);
        }
    }

    @Test
    void thePayersClaimNumberComesFromThe277caOrByHandAndOnlyForTheOwnPractice() throws Exception {
        UUID practice = practice();
        UUID other = practice();
        UUID ann = billedPatient(practice, "99457");
        UUID bob = billedPatient(practice, "99490");
        UUID otherPatient = billedPatient(other, "99457");
        String annClaim = Claim837Export.claimControlNumber(ann, NOVEMBER, 1);
        String bobClaim = Claim837Export.claimControlNumber(bob, NOVEMBER, 1);
        String otherClaim = Claim837Export.claimControlNumber(otherPatient, NOVEMBER, 1);

        assertThat(statuses.payerClaimControlNumber(practice, annClaim)).isEmpty();
        statuses.recordSent(practice, NOVEMBER, 101_202_611L, List.of(new ClaimStatuses.SentClaim(annClaim, ann, List.of("99457")),
                new ClaimStatuses.SentClaim(bobClaim, bob, List.of("99490"))), "staff:biller");
        assertThat(statuses.find(practice, annClaim).orElseThrow().state()).isEqualTo(ClaimState.SENT);
        assertThat(statuses.payerClaimControlNumber(practice, annClaim)).as("sent, not yet numbered by the payer").isEmpty();

        var result = imports.importFile(practice, AcknowledgementFiles.ack277("7001", List.of(
                AcknowledgementFiles.ClaimAnswer.accepted(annClaim, "2226301234567"),
                AcknowledgementFiles.ClaimAnswer.accepted(otherClaim, "9999999999999"))), "staff:biller");
        assertThat(result.count("applied")).isEqualTo(1);
        assertThat(result.unmatched()).singleElement().asString().contains(otherClaim).contains("not a claim of this practice");
        try (Connection c = database.dataSource().getConnection()) {
            assertThat(ClaimStatuses.payerClaimControlNumber(c, practice, annClaim)).contains("2226301234567");
            assertThat(ClaimStatuses.payerClaimControlNumber(c, other, otherClaim)).as("another practice's 277CA line was not applied").isEmpty();
            assertThat(ClaimStatuses.payerClaimControlNumber(c, other, annClaim)).as("practice A's claim read as practice B").isEmpty();
        }
        ClaimStatus accepted = statuses.find(practice, annClaim).orElseThrow();
        assertThat(accepted.state()).isEqualTo(ClaimState.ACCEPTED);
        assertThat(accepted.payerNumberSource()).isEqualTo("277CA");
        assertThat(accepted.reason()).contains("A2 accepted into the payer's adjudication system: 20 accepted for processing (payer)");

        // Some payers give the number only on the remittance: the biller enters it; who and when are kept.
        ClaimStatus entered = statuses.enterPayerClaimNumber(practice, bobClaim, "DCN-55501", "staff:biller-2").orElseThrow();
        assertThat(entered.state()).isEqualTo(ClaimState.ACCEPTED);
        assertThat(entered.payerClaimControlNumber()).isEqualTo("DCN-55501");
        assertThat(entered.payerNumberSource()).isEqualTo("entered");
        assertThat(entered.payerNumberBy()).isEqualTo("staff:biller-2");
        assertThat(entered.payerNumberAt()).isNotNull();
        assertThat(statuses.payerClaimControlNumber(practice, bobClaim)).contains("DCN-55501");
        assertThat(statuses.history(practice, bobClaim)).extracting(ClaimStatuses.Event::actor).containsExactly("staff:biller", "staff:biller-2");
        assertThatThrownBy(() -> statuses.enterPayerClaimNumber(practice, bobClaim, "DCN 55501; DROP", "staff:biller"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("letters, digits or hyphens");
        assertThat(statuses.enterPayerClaimNumber(practice, otherClaim, "1234", "staff:biller")).as("B's claim by A's biller").isEmpty();
        assertThat(statuses.payerClaimControlNumber(other, otherClaim)).isEmpty();
    }

    static UUID practice() throws SQLException {
        UUID practice = UUID.randomUUID();
        exec("INSERT INTO core.practice (id, name, time_zone) VALUES (?, ?, 'America/Chicago')", practice, "Acks " + practice);
        exec("INSERT INTO billing.month_close (practice_id, month, closed_by) VALUES (?, ?, 'test')", practice, Date.valueOf(NOVEMBER.atDay(1)));
        return practice;
    }

    /** A patient with one claim line of {@code code} in the practice's closed November. */
    static UUID billedPatient(UUID practice, String code) throws SQLException {
        UUID patient = UUID.randomUUID();
        exec("INSERT INTO core.patient (id, practice_id, external_ref) VALUES (?, ?, ?)", patient, practice, "MRN-" + patient.toString().substring(0, 8));
        exec("INSERT INTO billing.claim_line (id, practice_id, month, patient_id, program, code, units, date_of_service, period_start, period_end, "
                        + "diagnoses, billing_practitioner_id, billing_npi, place_of_service, charge, justification) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, "
                        + "'{I10}', ?, '1234567893', '11', 50.00, 'test')", UUID.randomUUID(), practice, Date.valueOf(NOVEMBER.atDay(1)), patient,
                code.startsWith("994") ? "rpm" : "ccm", code, Date.valueOf(NOVEMBER.atEndOfMonth()), Date.valueOf(NOVEMBER.atDay(1)),
                Date.valueOf(NOVEMBER.atEndOfMonth()), UUID.randomUUID());
        return patient;
    }

    static void exec(String sql, Object... values) throws SQLException {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }
}
