package health.careloop.billing.acks;

import health.careloop.billing.export.Claim837Export;
import health.careloop.billing.acks.AcknowledgementFiles.ClaimAnswer;
import health.careloop.billing.acks.AcknowledgementFiles.SegmentError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import static health.careloop.billing.acks.ClaimStatusesTest.NOVEMBER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * 999 and 277CA files built with x12-parser, imported as a biller would: accepted, rejected as a whole transaction,
 * partially rejected, a claim or group that is not the practice's, the same file twice, and malformed files that change
 * nothing. Shares ClaimStatusesTest's database (started by its {@code @BeforeAll}).
 */
class AcknowledgementImportTest {
    static ClaimStatuses statuses;
    static AcknowledgementImport imports;

    @BeforeAll
    static void start() throws SQLException {
        ClaimStatusesTest.start();
        statuses = ClaimStatusesTest.statuses;
        imports = ClaimStatusesTest.imports;
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        ClaimStatusesTest.stop();
    }

    /** A practice with two patients' claims sent in one 837 (GS06 {@code group}). */
    record Sent(UUID practice, long group, String ann, String bob) {
    }

    static Sent sent() throws SQLException {
        UUID practice = ClaimStatusesTest.practice();
        UUID ann = ClaimStatusesTest.billedPatient(practice, "99457");
        UUID bob = ClaimStatusesTest.billedPatient(practice, "99490");
        long group = Claim837Export.interchangeControlNumber(practice, NOVEMBER);
        String annClaim = Claim837Export.claimControlNumber(ann, NOVEMBER, 1);
        String bobClaim = Claim837Export.claimControlNumber(bob, NOVEMBER, 1);
        statuses.recordSent(practice, NOVEMBER, group, List.of(new ClaimStatuses.SentClaim(annClaim, ann, List.of("99457")),
                new ClaimStatuses.SentClaim(bobClaim, bob, List.of("99490"))), "staff:biller");
        return new Sent(practice, group, annClaim, bobClaim);
    }

    @Test
    void a999ThatAcceptsMakesTheClaimsReceivedAndTheSameFileTwiceChangesNothing() throws Exception {
        Sent s = sent();
        String file = AcknowledgementFiles.ack999("8001", s.group(), "A", "A", List.of());
        var first = imports.importFile(s.practice(), file, "staff:biller");
        assertThat(first.kind()).isEqualTo("999");
        assertThat(first.count("applied")).isEqualTo(2);
        assertThat(state(s.practice(), s.ann())).isEqualTo(ClaimState.RECEIVED);
        int events = events(s.practice());

        var again = imports.importFile(s.practice(), file, "staff:other-biller");
        assertThat(again.alreadyImported()).isTrue();
        assertThat(again.fileId()).isEqualTo(first.fileId());
        assertThat(again.importedBy()).isEqualTo("staff:biller");
        assertThat(again.claims()).isEqualTo(first.claims());
        assertThat(events(s.practice())).as("nothing changed the second time").isEqualTo(events);

        // Another file with the same news (a new interchange number) changes nothing either.
        var same = imports.importFile(s.practice(), AcknowledgementFiles.ack999("8002", s.group(), "A", "A", List.of()), "staff:biller");
        assertThat(same.alreadyImported()).isFalse();
        assertThat(same.count("unchanged")).isEqualTo(2);
        assertThat(events(s.practice())).isEqualTo(events);
    }

    @Test
    void a999ThatRejectsTheWholeTransactionRejectsEveryClaimInItWithTheReasonInWords() throws Exception {
        Sent s = sent();
        String file = AcknowledgementFiles.ack999("8101", s.group(), "R", "R", List.of(
                new SegmentError("NM1", 14, "2010BA", "8", 9, "1", s.bob())));
        var result = imports.importFile(s.practice(), file, "staff:biller");
        assertThat(result.count("applied")).isEqualTo(2);
        ClaimStatus ann = statuses.find(s.practice(), s.ann()).orElseThrow();
        ClaimStatus bob = statuses.find(s.practice(), s.bob()).orElseThrow();
        assertThat(ann.state()).isEqualTo(ClaimState.REJECTED);
        assertThat(ann.reason()).isEqualTo("999: the clearinghouse's 999 rejected the whole 837 transaction 0001 (rejected: one or more segments in "
                + "error): segment NM1 at position 14 (loop 2010BA): segment has data element errors, required data element missing in element 9");
        assertThat(bob.state()).isEqualTo(ClaimState.REJECTED);
        assertThat(bob.reason()).as("the claim the clearinghouse named gets its own error first")
                .startsWith("999: this claim: segment NM1 at position 14 (loop 2010BA): segment has data element errors, required data element missing");
        assertThat(ann.inWords()).startsWith("rejected: 999: the clearinghouse's 999 rejected the whole 837 transaction");

        // Fixed and downloaded again: sent again; then the clearinghouse accepts it.
        statuses.recordSent(s.practice(), NOVEMBER, s.group(), List.of(new ClaimStatuses.SentClaim(s.ann(), ann.patientId(), List.of("99457")),
                new ClaimStatuses.SentClaim(s.bob(), bob.patientId(), List.of("99490"))), "staff:biller");
        assertThat(state(s.practice(), s.ann())).isEqualTo(ClaimState.SENT);
        assertThat(statuses.find(s.practice(), s.ann()).orElseThrow().reason()).isNull();
        imports.importFile(s.practice(), AcknowledgementFiles.ack999("8102", s.group(), "A", "A", List.of()), "staff:biller");
        assertThat(state(s.practice(), s.bob())).isEqualTo(ClaimState.RECEIVED);
        assertThat(statuses.history(s.practice(), s.bob())).extracting(ClaimStatuses.Event::state)
                .containsExactly(ClaimState.SENT, ClaimState.REJECTED, ClaimState.SENT, ClaimState.RECEIVED);
    }

    @Test
    void a277caAcceptsOneClaimAndRejectsAnotherAndAnUnknownClaimIsReportedNotApplied() throws Exception {
        Sent s = sent();
        imports.importFile(s.practice(), AcknowledgementFiles.ack999("8201", s.group(), "A", "A", List.of()), "staff:biller");
        String unknown = Claim837Export.claimControlNumber(UUID.randomUUID(), NOVEMBER, 1);
        var result = imports.importFile(s.practice(), AcknowledgementFiles.ack277("8202", List.of(
                ClaimAnswer.accepted(s.ann(), "2226301234567"),
                ClaimAnswer.rejected(s.bob(), "A7", "164", "IL"),
                ClaimAnswer.accepted(unknown, "1"))), "staff:biller");
        assertThat(result.kind()).isEqualTo("277CA");
        assertThat(result.count("applied")).isEqualTo(2);
        assertThat(result.count("unmatched")).isEqualTo(1);
        assertThat(result.unmatched()).singleElement().asString().isEqualTo("claim " + unknown
                + " in the 277CA is not a claim of this practice (no closed month of the practice has it), so it was not applied");
        ClaimStatus ann = statuses.find(s.practice(), s.ann()).orElseThrow();
        assertThat(ann.state()).isEqualTo(ClaimState.ACCEPTED);
        assertThat(ann.inWords()).isEqualTo("accepted by the payer (payer claim number 2226301234567)");
        ClaimStatus bob = statuses.find(s.practice(), s.bob()).orElseThrow();
        assertThat(bob.state()).isEqualTo(ClaimState.REJECTED);
        assertThat(bob.inWords()).isEqualTo("rejected: 277CA: A7 rejected for invalid information: 164 entity's contract/member number (subscriber)");

        // A late 999 never overrides the payer's answer.
        var late = imports.importFile(s.practice(), AcknowledgementFiles.ack999("8203", s.group(), "A", "A", List.of()), "staff:biller");
        assertThat(late.count("unchanged")).isEqualTo(2);
        assertThat(state(s.practice(), s.ann())).isEqualTo(ClaimState.ACCEPTED);

        // A forwarded claim (A0) is neither accepted nor rejected.
        var forwarded = imports.importFile(s.practice(), AcknowledgementFiles.ack277("8204", List.of(
                new ClaimAnswer(s.ann(), "A0", "16", "PR", null))), "staff:biller");
        assertThat(forwarded.claims()).singleElement().satisfies(o -> assertThat(o.inWords()).contains("A0 forwarded to another entity")
                .contains("neither accepts nor rejects"));
        assertThat(state(s.practice(), s.ann())).isEqualTo(ClaimState.ACCEPTED);
    }

    @Test
    void anotherPracticesGroupOrClaimIsUnmatchedAndNeverApplied() throws Exception {
        Sent mine = sent();
        Sent theirs = sent();
        var group = imports.importFile(mine.practice(), AcknowledgementFiles.ack999("8301", theirs.group(), "R", "R", List.of()), "staff:biller");
        assertThat(group.count("applied")).isZero();
        assertThat(group.unmatched()).singleElement().asString().isEqualTo("the 999 answers functional group HC " + theirs.group()
                + ", which is no 837 downloaded from CareLoop by this practice; not applied");
        var claim = imports.importFile(mine.practice(), AcknowledgementFiles.ack277("8302", List.of(
                ClaimAnswer.rejected(theirs.ann(), "A6", "21", "85"))), "staff:biller");
        assertThat(claim.count("applied")).isZero();
        assertThat(claim.unmatched()).singleElement().asString().contains(theirs.ann());
        assertThat(state(theirs.practice(), theirs.ann())).isEqualTo(ClaimState.SENT);
        assertThat(state(mine.practice(), mine.ann())).isEqualTo(ClaimState.SENT);
    }

    @Test
    void aMalformedFileIsRefusedInWordsAndNothingIsApplied() throws Exception {
        Sent s = sent();
        int files = files(s.practice());
        assertThatThrownBy(() -> imports.importFile(s.practice(), "Dear biller, your claims were received.", "staff:biller"))
                .isInstanceOf(MalformedAcknowledgement.class).hasMessageStartingWith("This is not an X12 file");
        String whole = AcknowledgementFiles.ack277("8401", List.of(ClaimAnswer.rejected(s.ann(), "A7", "21", "85")));
        String truncated = whole.substring(0, whole.indexOf("\nSE*"));
        assertThatThrownBy(() -> imports.importFile(s.practice(), truncated, "staff:biller"))
                .isInstanceOf(MalformedAcknowledgement.class).hasMessageStartingWith("The 277CA file is not well-formed, so nothing was applied: ");
        String noStatus = whole.replaceFirst("STC\\*A7:21:85\\*[^~]*~\\n", "");
        assertThatThrownBy(() -> imports.importFile(s.practice(), noStatus, "staff:biller")).isInstanceOf(MalformedAcknowledgement.class);
        String an835 = whole.replace("ST*277*", "ST*835*");
        assertThatThrownBy(() -> imports.importFile(s.practice(), an835, "staff:biller")).isInstanceOf(MalformedAcknowledgement.class)
                .hasMessageContaining("835 transaction set").hasMessageContaining("CareLoop imports 999 implementation acknowledgements and 277CA");
        assertThat(files(s.practice())).isEqualTo(files);
        assertThat(state(s.practice(), s.ann())).isEqualTo(ClaimState.SENT);
    }

    private static ClaimState state(UUID practice, String claim) throws SQLException {
        return statuses.find(practice, claim).orElseThrow().state();
    }

    private static int events(UUID practice) throws SQLException {
        return count("SELECT count(*) FROM billing.claim_status_event WHERE practice_id = ?", practice);
    }

    private static int files(UUID practice) throws SQLException {
        return count("SELECT count(*) FROM billing.acknowledgement_file WHERE practice_id = ?", practice);
    }

    private static int count(String sql, UUID practice) throws SQLException {
        try (Connection c = ClaimStatusesTest.database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, practice);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
