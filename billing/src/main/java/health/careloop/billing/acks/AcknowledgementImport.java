package health.careloop.billing.acks;

import health.careloop.billing.acks.AcknowledgementCodes.Category;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Imports one 999 or 277CA file for a practice: reads it whole first (a malformed file changes nothing), then applies
 * it in one transaction, claim by claim (billing-rules.md 4.1):
 * <ul>
 *   <li>999: each functional group it answers (AK102) is the GS06 of an 837 the practice downloaded; a transaction set or
 *       group it rejects makes every claim of that 837 still sent or received rejected, with the errors in words (and
 *       the errors the clearinghouse tied to a claim's CLM01 first for that claim); one it accepts makes them received.
 *       A claim the payer's 277CA already answered keeps that answer.</li>
 *   <li>277CA: each claim (TRN02 = CLM01) becomes accepted (A1, A2, A5) or rejected (A3, A4, A6-A8) with the status in
 *       words, and takes the payer's claim control number (REF*1K) when given.</li>
 * </ul>
 * A CLM01 or group that is not the practice's own is reported as unmatched and never applied. The same file (by SHA-256)
 * imported again changes nothing and answers what its first import did; a claim whose status would not change is
 * reported as unchanged, so a different file with the same news changes nothing either.
 */
public final class AcknowledgementImport {
    /** What happened to one claim: {@code applied}, {@code unchanged} or {@code unmatched}. */
    public record ClaimOutcome(String claimControlNumber, UUID patientId, String result, String state, String inWords) {
        JsonObject json() {
            return new JsonObject().put("claimControlNumber", claimControlNumber).put("patientId", patientId == null ? null : patientId.toString())
                    .put("result", result).put("status", state).put("inWords", inWords);
        }

        static ClaimOutcome of(JsonObject o) {
            String patient = o.getString("patientId");
            return new ClaimOutcome(o.getString("claimControlNumber"), patient == null ? null : UUID.fromString(patient), o.getString("result"),
                    o.getString("status"), o.getString("inWords"));
        }
    }

    /**
     * @param alreadyImported the same file was imported before: nothing changed, and the outcomes are that import's
     * @param unmatched       what in the file names no claim or 837 of the practice, in words
     */
    public record Result(UUID fileId, String kind, String interchangeControlNumber, boolean alreadyImported, Instant importedAt, String importedBy,
                         List<ClaimOutcome> claims, List<String> unmatched) {
        public long count(String result) {
            return claims.stream().filter(c -> c.result().equals(result)).count();
        }
    }

    private final DataSource dataSource;

    public AcknowledgementImport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Result importFile(UUID practiceId, String text, String actor) throws MalformedAcknowledgement, SQLException {
        Objects.requireNonNull(text, "text");
        if (text.length() > AcknowledgementText.MAX_LENGTH) {
            throw new MalformedAcknowledgement("The file is larger than " + AcknowledgementText.MAX_LENGTH / 1024 / 1024 + " MB; an acknowledgement is far smaller.");
        }
        AcknowledgementText.Kind kind = AcknowledgementText.kind(text);
        Functional999 functional = kind == AcknowledgementText.Kind.FUNCTIONAL_999 ? Functional999.read(text) : null;
        ClaimAcknowledgement277 claimAck = kind == AcknowledgementText.Kind.CLAIM_277CA ? ClaimAcknowledgement277.read(text) : null;
        String icn = functional != null ? functional.interchangeControlNumber() : claimAck.interchangeControlNumber();
        String sha256 = sha256(text);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                UUID fileId = UUID.randomUUID();
                Optional<Result> earlier = claimFile(c, practiceId, fileId, kind, sha256, icn, actor);
                if (earlier.isPresent()) {
                    c.rollback();
                    return earlier.get();
                }
                Changes changes = new Changes(c, practiceId, actor, fileId);
                if (functional != null) {
                    apply999(changes, functional);
                } else {
                    apply277(changes, claimAck);
                }
                Instant importedAt;
                try (PreparedStatement ps = c.prepareStatement("UPDATE billing.acknowledgement_file SET summary = ?::jsonb WHERE id = ? RETURNING imported_at")) {
                    ps.setString(1, summary(changes.outcomes, changes.unmatched).encode());
                    ps.setObject(2, fileId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        importedAt = rs.getTimestamp(1).toInstant();
                    }
                }
                c.commit();
                return new Result(fileId, kind.wireName, icn, false, importedAt, actor, List.copyOf(changes.outcomes), List.copyOf(changes.unmatched));
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Registers the file, or answers the earlier import of the same content. The unique (practice, sha256) makes a
     * concurrent import of the same file wait for the first and then find it.
     */
    private static Optional<Result> claimFile(Connection c, UUID practiceId, UUID fileId, AcknowledgementText.Kind kind, String sha256, String icn,
                                              String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing.acknowledgement_file (id, practice_id, kind, sha256, interchange_control_number, "
                + "imported_by, summary) VALUES (?, ?, ?, ?, ?, ?, '{}'::jsonb) ON CONFLICT (practice_id, sha256) DO NOTHING")) {
            ps.setObject(1, fileId);
            ps.setObject(2, practiceId);
            ps.setString(3, kind.wireName);
            ps.setString(4, sha256);
            ps.setString(5, icn == null ? "" : icn);
            ps.setString(6, actor);
            if (ps.executeUpdate() == 1) {
                return Optional.empty();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, kind, interchange_control_number, imported_at, imported_by, summary::text "
                + "FROM billing.acknowledgement_file WHERE practice_id = ? AND sha256 = ?")) {
            ps.setObject(1, practiceId);
            ps.setString(2, sha256);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("acknowledgement file vanished during import");
                }
                JsonObject summary = new JsonObject(rs.getString(6));
                List<ClaimOutcome> claims = new ArrayList<>();
                summary.getJsonArray("claims", new JsonArray()).forEach(o -> claims.add(ClaimOutcome.of((JsonObject) o)));
                List<String> unmatched = new ArrayList<>();
                summary.getJsonArray("unmatched", new JsonArray()).forEach(o -> unmatched.add((String) o));
                return Optional.of(new Result(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), true, rs.getTimestamp(4).toInstant(),
                        rs.getString(5), claims, unmatched));
            }
        }
    }

    private static void apply277(Changes changes, ClaimAcknowledgement277 ack) throws SQLException {
        for (ClaimAcknowledgement277.ClaimAck claim : ack.claims()) {
            Optional<ClaimStatuses.ClaimRef> ref = changes.numbers.resolve(claim.claimControlNumber());
            if (ref.isEmpty()) {
                changes.unmatched(claim.claimControlNumber(), "claim " + claim.claimControlNumber()
                        + " in the 277CA is not a claim of this practice (no closed month of the practice has it), so it was not applied");
                continue;
            }
            Category category = claim.category();
            if (category == Category.OTHER) {
                changes.unchanged(ref.get(), null, "the 277CA says " + claim.inWords() + ", which neither accepts nor rejects the claim: its status is left as it was");
                continue;
            }
            ClaimState state = category == Category.ACCEPTED ? ClaimState.ACCEPTED : ClaimState.REJECTED;
            changes.set(ref.get(), state, "277CA: " + claim.inWords(), claim.payerClaimControlNumber());
        }
    }

    private static void apply999(Changes changes, Functional999 ack) throws SQLException {
        for (Functional999.GroupAck group : ack.groups()) {
            List<ClaimStatus> claims = claimsOf(changes, group);
            if (claims.isEmpty()) {
                continue;
            }
            if (group.sets().isEmpty()) {
                // No transaction set named: the group's verdict is the set's.
                for (ClaimStatus claim : claims) {
                    apply999(changes, claim, group.rejected(), "999: " + group.inWords(), null);
                }
                continue;
            }
            for (Functional999.SetAck set : group.sets()) {
                if (!"837".equals(set.transactionSetId()) || !"0001".equals(set.controlNumber())) {
                    changes.unmatched(null, "the 999 answers transaction set " + set.transactionSetId() + " " + set.controlNumber() + " of group "
                            + group.groupControlNumber() + ", which is not in CareLoop's 837 (its one transaction set is 837 0001); not applied");
                    continue;
                }
                boolean rejected = set.rejected() || group.rejected();
                for (ClaimStatus claim : claims) {
                    List<String> own = set.errorsByClaim().getOrDefault(claim.claimControlNumber(), List.of());
                    String reason = "999: " + (own.isEmpty() ? "" : "this claim: " + String.join("; ", own) + "; ") + set.inWords();
                    apply999(changes, claim, rejected, reason, set.code());
                }
            }
        }
    }

    /** The claims last sent in the group the 999 answers, or none (reported) when it is no 837 of this practice. */
    private static List<ClaimStatus> claimsOf(Changes changes, Functional999.GroupAck group) throws SQLException {
        long groupControlNumber;
        try {
            groupControlNumber = Long.parseLong(group.groupControlNumber());
        } catch (NumberFormatException e) {
            groupControlNumber = -1;
        }
        List<ClaimStatus> claims = !"HC".equals(group.functionalId()) || groupControlNumber < 0 ? List.of()
                : ClaimStatuses.ofGroup(changes.connection, changes.practiceId, groupControlNumber);
        if (claims.isEmpty()) {
            changes.unmatched(null, "the 999 answers functional group " + group.functionalId() + " " + group.groupControlNumber()
                    + ", which is no 837 downloaded from CareLoop by this practice; not applied");
        }
        return claims;
    }

    private static void apply999(Changes changes, ClaimStatus claim, boolean rejected, String reason, String code) throws SQLException {
        ClaimStatuses.ClaimRef ref = new ClaimStatuses.ClaimRef(claim.claimControlNumber(), claim.patientId(), claim.month());
        if (claim.state() == ClaimState.ACCEPTED || claim.state() == ClaimState.REJECTED && !rejected) {
            changes.unchanged(ref, claim.state(), "already " + claim.state().wireName() + " (" + claim.reason() + "); a 999 does not change that");
            return;
        }
        if (rejected) {
            changes.set(ref, ClaimState.REJECTED, reason, null);
        } else {
            // E: accepted with errors noted; the note is kept as the reason so the biller sees it.
            changes.set(ref, ClaimState.RECEIVED, "E".equals(code) ? reason : null, null);
        }
    }

    /** The changes of one import, on its connection, with what happened to each claim. */
    private static final class Changes {
        final Connection connection;
        final UUID practiceId;
        final String actor;
        final UUID fileId;
        final ClaimNumbers numbers;
        final List<ClaimOutcome> outcomes = new ArrayList<>();
        final List<String> unmatched = new ArrayList<>();

        Changes(Connection connection, UUID practiceId, String actor, UUID fileId) {
            this.connection = connection;
            this.practiceId = practiceId;
            this.actor = actor;
            this.fileId = fileId;
            this.numbers = new ClaimNumbers(connection, practiceId);
        }

        void set(ClaimStatuses.ClaimRef ref, ClaimState state, String reason, String payerNumber) throws SQLException {
            Optional<ClaimStatus> now = ClaimStatuses.find(connection, practiceId, ref.claimControlNumber(), true);
            boolean newNumber = payerNumber != null && (now.isEmpty() || !payerNumber.equals(now.get().payerClaimControlNumber()));
            if (now.isPresent() && now.get().state() == state && Objects.equals(now.get().reason(), reason) && !newNumber) {
                unchanged(ref, state, "already " + state.wireName());
                return;
            }
            ClaimStatuses.change(connection, practiceId, ref, state, reason, newNumber ? payerNumber : null, "277CA", actor, fileId);
            outcomes.add(new ClaimOutcome(ref.claimControlNumber(), ref.patientId(), "applied", state.wireName(),
                    state.words() + (reason == null ? "" : ": " + reason) + (payerNumber == null ? "" : " (payer claim number " + payerNumber + ")")));
        }

        void unchanged(ClaimStatuses.ClaimRef ref, ClaimState state, String why) {
            outcomes.add(new ClaimOutcome(ref.claimControlNumber(), ref.patientId(), "unchanged", state == null ? null : state.wireName(), why));
        }

        void unmatched(String claimControlNumber, String why) {
            unmatched.add(why);
            if (claimControlNumber != null) {
                outcomes.add(new ClaimOutcome(claimControlNumber, null, "unmatched", null, why));
            }
        }
    }

    private static JsonObject summary(List<ClaimOutcome> outcomes, List<String> unmatched) {
        JsonArray claims = new JsonArray();
        outcomes.forEach(o -> claims.add(o.json()));
        return new JsonObject().put("claims", claims).put("unmatched", new JsonArray(new ArrayList<>(unmatched)));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
