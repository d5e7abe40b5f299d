package health.careloop.billing.export;

import health.careloop.billing.claims.BillingCode;
import health.careloop.billing.claims.ClaimLine;
import health.careloop.billing.claims.MonthClose;
import health.careloop.billing.profile.BillingProfile;
import health.careloop.billing.x12.Claim837Writer;
import health.careloop.billing.x12.ClaimFrequency;
import health.careloop.billing.x12.ProfessionalClaim;
import health.careloop.billing.x12.RenderingProvider;
import health.careloop.billing.x12.ServiceLine;
import health.careloop.billing.x12.Subscriber;
import health.careloop.billing.x12.SubscriberClaim;
import health.careloop.clinical.patients.Address;
import health.careloop.clinical.patients.PatientProfile;
import health.careloop.common.auth.StaffMember;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Turns a closed month's claim lines into one 837P interchange (billing-rules.md 4). Pure: the caller loads the month,
 * the practice's billing profile, the patients' demographics and the billing practitioners.
 *
 * <ul>
 *   <li>Every stored claim line becomes exactly one service line (SV1), with its code, units, charge, date of service
 *       and place of service; nothing else is billed (DESIGN.md invariant 4).</li>
 *   <li>One claim per patient and month ("one claim per CM may carry both RPM and CCM lines"). A claim has one rendering
 *       provider and one place of service, so lines of another billing practitioner or POS get a claim of their own;
 *       so does the rest when a claim would pass 50 lines or 12 diagnoses. Add-on lines (99458, 99439, 99437, 99489)
 *       follow their base code and are never split from it.</li>
 *   <li>HI: the lines' ICD-10-CM codes in order of first appearance; each line points (SV107) at its first four.</li>
 *   <li>Rendering provider (2310B) when the billing practitioner's NPI differs from the organisation's, named from the
 *       staff account's display name ("Family, Given" or "Given Family").</li>
 *   <li>Deterministic, so a re-export is byte-identical: CLM01 from patient and month ({@link #claimControlNumber}),
 *       ISA13 from practice and month ({@link #interchangeControlNumber}), the creation time is the month's close time.</li>
 * </ul>
 * A patient whose claim cannot be written (no profile, no MBI, no address, a value X12 cannot carry, a line without a fee, a
 * rendering practitioner without a usable name) is a {@link Problem}: the whole export is refused unless the caller
 * asks to leave such patients out, and then they are listed.
 */
public final class Claim837Export {
    /** Add-on code → the base code it goes with (billing-rules.md 4: add-on lines go with their base code). */
    private static final Map<BillingCode, BillingCode> BASE_OF = Map.of(
            BillingCode.RPM_MANAGEMENT_ADDON, BillingCode.RPM_MANAGEMENT_20,
            BillingCode.CCM_STAFF_ADDON, BillingCode.CCM_STAFF_20,
            BillingCode.CCM_PHYSICIAN_ADDON, BillingCode.CCM_PHYSICIAN_30,
            BillingCode.CCM_COMPLEX_ADDON, BillingCode.CCM_COMPLEX_60);
    private static final int MAX_POINTERS = 4;
    /** Claims per patient and month the control-number suffix allows ("-2" … "-9"). */
    private static final int MAX_CLAIMS_PER_PATIENT_MONTH = 9;

    private Claim837Export() {
    }

    /** Why one patient's claims cannot be written. */
    public record Problem(UUID patientId, String reason) {
    }

    /** The interchange, how many claims (CLM) it holds, for which patients, and who was left out. */
    public record Result(String text, int claimCount, List<UUID> patients, List<Problem> skipped) {
    }

    /** The export cannot be produced as asked; {@code problems} lists the patients when that is the reason. */
    public static final class Refused extends Exception {
        private final String code;
        private final List<Problem> problems;

        Refused(String code, String message, List<Problem> problems) {
            super(message, null, false, false);
            this.code = code;
            this.problems = List.copyOf(problems);
        }

        public String code() {
            return code;
        }

        public List<Problem> problems() {
            return problems;
        }
    }

    /**
     * @param patients       demographics of the month's patients; a patient without an entry has no profile
     * @param practitioners  the billing practitioners of the month's lines, by staff id
     * @param skipIncomplete leave out (and list) patients with a {@link Problem} instead of refusing the whole file
     */
    public static Result write(BillingProfile profile, ZoneId zone, MonthClose.Closed closed, Map<UUID, PatientProfile> patients,
                               Map<UUID, StaffMember> practitioners, boolean skipIncomplete) throws Refused {
        Objects.requireNonNull(profile, "profile");
        if (closed.lines().isEmpty()) {
            throw new Refused("no_claims", "The closed month " + closed.month() + " has no claim lines: there is nothing to bill.", List.of());
        }
        Map<UUID, List<ClaimLine>> byPatient = new LinkedHashMap<>();
        for (ClaimLine line : closed.lines()) {
            byPatient.computeIfAbsent(line.patientId(), id -> new ArrayList<>()).add(line);
        }
        List<ClaimToWrite> claims = new ArrayList<>();
        byPatient.forEach((patientId, lines) -> claims.addAll(originals(patientId, closed.month(), lines)));
        return writeClaims(profile, zone, claims, patients, practitioners, skipIncomplete, closed.closedAt(),
                interchangeControlNumber(closed.practiceId(), closed.month()));
    }

    /**
     * One claim as it goes on an 837P: an original (frequency 1) or a correction of one already sent (7 replaces it, 8
     * voids it; both carry the payer's claim control number in REF*F8). A void lists the lines of the claim it voids.
     */
    public record ClaimToWrite(UUID patientId, String controlNumber, ClaimFrequency frequency, String payerClaimControlNumber,
                               List<ClaimLine> lines) {
        public ClaimToWrite {
            lines = List.copyOf(lines);
        }
    }

    /**
     * The claims a patient-month's lines make, with their CLM01 (the grouping the month's 837P uses): one per billing
     * practitioner and place of service, split past 50 lines or 12 diagnoses, add-ons never apart from their base. The
     * corrections after close match their claims by this grouping.
     */
    public static List<ClaimToWrite> originals(UUID patientId, YearMonth month, List<ClaimLine> lines) {
        List<ClaimToWrite> claims = new ArrayList<>();
        for (List<List<ClaimLine>> chunks : byClaimHeader(lines).values()) {
            for (List<ClaimLine> chunk : chunks) {
                claims.add(new ClaimToWrite(patientId, claimControlNumber(patientId, month, claims.size() + 1), ClaimFrequency.ORIGINAL, null, chunk));
            }
        }
        return claims;
    }

    /**
     * The claims' lines grouped as on a claim header (billing practitioner, NPI, place of service), in order of first
     * appearance, each group packed into claims of at most 50 lines and 12 diagnoses.
     */
    public static Map<List<Object>, List<List<ClaimLine>>> byClaimHeader(List<ClaimLine> lines) {
        Map<List<Object>, List<ClaimLine>> groups = new LinkedHashMap<>();
        for (ClaimLine line : lines) {
            groups.computeIfAbsent(header(line), k -> new ArrayList<>()).add(line);
        }
        Map<List<Object>, List<List<ClaimLine>>> result = new LinkedHashMap<>();
        groups.forEach((header, group) -> result.put(header, chunks(units(group))));
        return result;
    }

    /** What a claim has one of: the rendering practitioner (with NPI) and the place of service. */
    public static List<Object> header(ClaimLine line) {
        return List.of(line.billingPractitionerId(), line.billingNpi(), line.placeOfService());
    }

    /**
     * Writes the given claims as one interchange. A patient whose claims cannot be written is a {@link Problem}: the
     * whole file is refused unless {@code skipIncomplete}.
     */
    public static Result writeClaims(BillingProfile profile, ZoneId zone, List<ClaimToWrite> toWrite, Map<UUID, PatientProfile> patients,
                                     Map<UUID, StaffMember> practitioners, boolean skipIncomplete, java.time.Instant createdAt,
                                     long interchangeControlNumber) throws Refused {
        Objects.requireNonNull(profile, "profile");
        Map<UUID, List<ClaimToWrite>> byPatient = new LinkedHashMap<>();
        for (ClaimToWrite claim : toWrite) {
            byPatient.computeIfAbsent(claim.patientId(), id -> new ArrayList<>()).add(claim);
        }
        List<SubscriberClaim> claims = new ArrayList<>();
        List<UUID> billed = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Map.Entry<UUID, List<ClaimToWrite>> e : byPatient.entrySet()) {
            try {
                claims.addAll(claimsOf(e.getValue(), profile, patients.get(e.getKey()), practitioners));
                billed.add(e.getKey());
            } catch (IllegalArgumentException ex) {
                problems.add(new Problem(e.getKey(), ex.getMessage()));
            }
        }
        if (!problems.isEmpty() && !skipIncomplete) {
            throw new Refused("incomplete_patients", problems.size() + " of " + byPatient.size() + " billed patients cannot be put on an 837P",
                    problems);
        }
        if (claims.isEmpty()) {
            throw new Refused("incomplete_patients", "None of the " + byPatient.size() + " billed patients can be put on an 837P", problems);
        }
        String text;
        try {
            text = new Claim837Writer(zone, profile.usage()).write(profile.submitter(), profile.receiver(), profile.payer(),
                    profile.billingProvider(), claims, createdAt, interchangeControlNumber);
        } catch (IllegalArgumentException ex) {
            throw new Refused("not_exportable", "The 837P cannot be written: " + ex.getMessage(), List.of());
        }
        return new Result(text, claims.size(), List.copyOf(billed), List.copyOf(problems));
    }

    /**
     * CLM01: the first 12 hex digits of SHA-256 of the patient id, then YYYYMM (18 characters); further claims of the same
     * patient and month end in -2 … -9. The same patient and month always get the same number, and the number names
     * neither the patient nor the practice.
     */
    public static String claimControlNumber(UUID patientId, YearMonth month, int index) {
        String base = HexFormat.of().withUpperCase().formatHex(sha256(patientId.toString()), 0, 6)
                + String.format(Locale.ROOT, "%04d%02d", month.getYear(), month.getMonthValue());
        return index == 1 ? base : base + "-" + index;
    }

    /**
     * ISA13: a practice part (1-999, from SHA-256 of the practice id) times 10^6 plus YYYYMM, so one practice's months
     * never share a number and a re-export of a month repeats it (a receiver that rejects duplicate interchanges then
     * rejects the resubmission too).
     */
    public static long interchangeControlNumber(UUID practiceId, YearMonth month) {
        byte[] h = sha256(practiceId.toString());
        int practicePart = 1 + Math.floorMod(((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff), 999);
        return practicePart * 1_000_000L + month.getYear() % 10_000 * 100L + month.getMonthValue();
    }

    // ------------------------------------------------------------------ one patient

    private static List<SubscriberClaim> claimsOf(List<ClaimToWrite> toWrite, BillingProfile profile, PatientProfile patient,
                                                  Map<UUID, StaffMember> practitioners) {
        Subscriber subscriber = subscriber(patient);
        for (ClaimToWrite claim : toWrite) {
            for (ClaimLine line : claim.lines()) {
                if (line.charge() == null) {
                    throw new IllegalArgumentException(line.missingFeeWarning());
                }
                if (line.charge().signum() <= 0) {
                    throw new IllegalArgumentException(line.code().cpt() + " has a charge of " + line.charge().toPlainString()
                            + ": set its fee in the fee schedule (a claim line needs a charge above zero)");
                }
            }
        }
        if (toWrite.size() > MAX_CLAIMS_PER_PATIENT_MONTH) {
            throw new IllegalArgumentException("more than " + MAX_CLAIMS_PER_PATIENT_MONTH + " claims for one month");
        }
        List<SubscriberClaim> claims = new ArrayList<>();
        for (ClaimToWrite claim : toWrite) {
            ClaimLine first = claim.lines().get(0);
            RenderingProvider rendering = first.billingNpi().equals(profile.billingProvider().npi()) ? null
                    : rendering(practitioners.get(first.billingPractitionerId()), first.billingNpi());
            claims.add(new SubscriberClaim(subscriber, claim(claim.controlNumber(), first.placeOfService(), rendering, claim.frequency(),
                    claim.payerClaimControlNumber(), claim.lines())));
        }
        return claims;
    }

    /** The lines in units that stay on one claim: each base code followed by its add-ons; the rest alone, in stored order. */
    private static List<List<ClaimLine>> units(List<ClaimLine> lines) {
        List<List<ClaimLine>> units = new ArrayList<>();
        Map<BillingCode, List<ClaimLine>> byBase = new LinkedHashMap<>();
        for (ClaimLine line : lines) {
            if (!BASE_OF.containsKey(line.code())) {
                List<ClaimLine> unit = new ArrayList<>(List.of(line));
                units.add(unit);
                byBase.putIfAbsent(line.code(), unit);
            }
        }
        for (ClaimLine line : lines) {
            BillingCode base = BASE_OF.get(line.code());
            if (base != null) {
                List<ClaimLine> unit = byBase.get(base);
                if (unit == null) {
                    units.add(new ArrayList<>(List.of(line))); // the rules never bill an add-on alone; if they did, it is still billed as stored
                } else {
                    unit.add(line);
                }
            }
        }
        return units;
    }

    /** Units packed in order into claims of at most 50 lines and 12 distinct diagnoses. */
    private static List<List<ClaimLine>> chunks(List<List<ClaimLine>> units) {
        List<List<ClaimLine>> chunks = new ArrayList<>();
        List<ClaimLine> current = new ArrayList<>();
        for (List<ClaimLine> unit : units) {
            List<ClaimLine> candidate = new ArrayList<>(current);
            candidate.addAll(unit);
            if (!current.isEmpty() && (candidate.size() > ProfessionalClaim.MAX_LINES || diagnoses(candidate).size() > ProfessionalClaim.MAX_DIAGNOSES)) {
                chunks.add(current);
                current = new ArrayList<>(unit);
            } else {
                current = candidate;
            }
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private static List<String> diagnoses(List<ClaimLine> lines) {
        Set<String> codes = new LinkedHashSet<>();
        for (ClaimLine line : lines) {
            codes.addAll(line.diagnoses());
        }
        return List.copyOf(codes);
    }

    private static ProfessionalClaim claim(String controlNumber, String placeOfService, RenderingProvider rendering, ClaimFrequency frequency,
                                           String payerClaimControlNumber, List<ClaimLine> lines) {
        List<String> diagnoses = diagnoses(lines);
        List<ServiceLine> serviceLines = new ArrayList<>();
        for (ClaimLine line : lines) {
            List<Integer> pointers = new ArrayList<>();
            for (String code : line.diagnoses().subList(0, Math.min(MAX_POINTERS, line.diagnoses().size()))) {
                pointers.add(diagnoses.indexOf(code) + 1);
            }
            serviceLines.add(new ServiceLine(line.code().cpt(), List.of(), line.charge(), line.units(), pointers, line.dateOfService(), null));
        }
        return new ProfessionalClaim(controlNumber, placeOfService, frequency, payerClaimControlNumber, diagnoses, rendering, serviceLines);
    }

    private static Subscriber subscriber(PatientProfile p) {
        if (p == null) {
            throw new IllegalArgumentException("no demographics recorded (name, date of birth, sex, MBI, address)");
        }
        List<String> missing = new ArrayList<>();
        if (p.mbi() == null) {
            missing.add("MBI");
        }
        if (p.address() == null) {
            missing.add("address");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no " + String.join(" and no ", missing) + " recorded");
        }
        Address a = p.address();
        return new Subscriber(x12(p.familyName()), x12(p.givenName()), p.mbi(), p.birthDate(), p.sex(),
                new Address(x12(a.line1()), x12(a.line2()), x12(a.city()), a.state(), a.zip()));
    }

    private static RenderingProvider rendering(StaffMember practitioner, String npi) {
        if (practitioner == null) {
            throw new IllegalArgumentException("the billing practitioner with NPI " + npi + " has no staff account");
        }
        String name = practitioner.displayName() == null ? "" : practitioner.displayName().trim();
        String last;
        String given;
        int comma = name.indexOf(',');
        if (comma >= 0) {
            last = name.substring(0, comma).trim();
            String rest = name.substring(comma + 1).trim();
            int nextComma = rest.indexOf(',');
            given = nextComma >= 0 ? rest.substring(0, nextComma).trim() : rest;
        } else {
            String withoutTitle = name.replaceFirst("(?i)^dr\\.?\\s+", "");
            int space = withoutTitle.lastIndexOf(' ');
            last = space < 0 ? withoutTitle : withoutTitle.substring(space + 1);
            given = space < 0 ? "" : withoutTitle.substring(0, space).trim();
        }
        if (last.isEmpty() || given.isEmpty()) {
            throw new IllegalArgumentException("the rendering practitioner's display name '" + name + "' does not give a family and a given name: "
                    + "write it as 'Family, Given'");
        }
        return new RenderingProvider(x12(last), x12(given), npi);
    }

    /** Upper case without diacritics ("José Núñez" → "JOSE NUNEZ"), the form payers match names and addresses in. */
    private static String x12(String value) {
        if (value == null) {
            return null;
        }
        return Normalizer.normalize(value, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toUpperCase(Locale.ROOT);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
