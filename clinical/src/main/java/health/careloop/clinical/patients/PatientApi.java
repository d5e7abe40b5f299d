package health.careloop.clinical.patients;

import health.careloop.clinical.careplan.CarePlanOnRecord;
import health.careloop.clinical.careplan.CarePlanVersion;
import health.careloop.clinical.careplan.CarePlans;
import health.careloop.clinical.conditions.Condition;
import health.careloop.clinical.conditions.ConditionApi;
import health.careloop.clinical.conditions.Conditions;
import health.careloop.clinical.conditions.ProgramEligibility;
import health.careloop.clinical.consent.ConsentRecord;
import health.careloop.clinical.consent.Consents;
import health.careloop.clinical.consent.Enrolment;
import health.careloop.clinical.consent.Enrolments;
import health.careloop.clinical.consent.Program;
import health.careloop.clinical.consent.ProgramApi;
import health.careloop.clinical.consent.ProgramStatus;
import health.careloop.common.audit.AuditTrail;
import health.careloop.common.auth.Permission;
import health.careloop.common.auth.Principal;
import health.careloop.common.auth.StaffAccounts;
import health.careloop.common.directory.Patient;
import health.careloop.common.http.ApiException;
import health.careloop.common.http.QueryParams;
import health.careloop.common.http.RequestBody;
import health.careloop.common.http.ApiResponses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * GET /api/v1/patients?practiceId=&name= (the practice's list), GET /api/v1/patients/{patientId} (the whole record) and
 * POST /api/v1/patients/{patientId}/profile (demographics, replaced as a whole). Identities are created by
 * POST /api/v1/patients (common's DirectoryApi).
 */
public final class PatientApi {
    private static final int MAX_LIST = 500;

    private final PatientAccess access;
    private final PatientProfiles profiles;
    private final Conditions conditions;
    private final Consents consents;
    private final Enrolments enrolments;
    private final CarePlans carePlans;
    private final StaffAccounts staff;

    public PatientApi(PatientAccess access, PatientProfiles profiles, Conditions conditions, Consents consents, Enrolments enrolments,
                      CarePlans carePlans, StaffAccounts staff) {
        this.access = access;
        this.profiles = profiles;
        this.conditions = conditions;
        this.consents = consents;
        this.enrolments = enrolments;
        this.carePlans = carePlans;
        this.staff = staff;
    }

    public void mount(Router api) {
        api.get("/patients").handler(this::list);
        api.get("/patients/:patientId").handler(this::get);
        api.post("/patients/:patientId/profile").handler(this::saveProfile);
    }

    private void list(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        Optional<UUID> practice = QueryParams.uuid(ctx, "practiceId");
        UUID practiceId;
        if (practice.isPresent()) {
            practiceId = practice.get();
            principal.requirePractice(practiceId, "practice " + practiceId);
        } else if (principal.isSystem()) {
            throw ApiException.badRequest("The API token spans practices: give 'practiceId'.");
        } else {
            practiceId = principal.practiceId();
        }
        String name = QueryParams.string(ctx, "name", 100).orElse(null);
        int limit = QueryParams.limit(ctx, 100, MAX_LIST);
        ApiResponses.respondBlocking(ctx, 200, () -> {
            var listed = profiles.list(practiceId, name, limit);
            // The list's items are patients (keyed "id"): the audit trail records which ones were shown.
            AuditTrail.patients(ctx, listed.stream().map(l -> l.patientId()).toList());
            return new JsonObject().put("items", listed.stream()
                    .map(l -> new JsonObject().put("id", l.patientId().toString()).put("practiceId", practiceId.toString())
                            .put("externalRef", l.externalRef()).put("profile", l.profile() == null ? null : json(l.profile())))
                    .toList());
        });
    }

    private void get(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.READ_CLINICAL);
        UUID patientId = PatientAccess.patientId(ctx);
        Optional<LocalDate> requested = QueryParams.date(ctx, "asOf");
        ApiResponses.respondBlocking(ctx, 200, () -> {
            Patient patient = access.visible(principal, patientId);
            LocalDate day = requested.orElse(access.today(patient.practiceId()));
            List<Condition> conditionList = conditions.of(patientId);
            List<ConsentRecord> consentList = consents.of(patientId);
            List<Enrolment> enrolmentList = enrolments.of(patientId);
            List<CarePlanVersion> planVersions = carePlans.versions(patientId);
            // The month close's own test (CarePlanOnRecord): the chart and the close give one answer.
            CarePlanOnRecord.Answer plan = CarePlanOnRecord.by(CarePlanOnRecord.firstEstablished(
                    planVersions.stream().map(CarePlanVersion::establishedOn).toList()), day);
            JsonObject programs = new JsonObject();
            for (Program program : Program.values()) {
                Optional<Enrolment> current = enrolmentList.stream().filter(e -> e.program() == program && e.activeOn(day)).findFirst();
                String npi = current.isEmpty() ? null : staff.find(current.get().billingPractitionerId()).map(s -> s.npi()).orElse(null);
                JsonObject status = ProgramApi.json(ProgramStatus.evaluate(patientId, program, day, conditionList, consentList, enrolmentList, npi));
                if (program == Program.CCM || program == Program.PCM) {
                    status.put("carePlanOnRecord", plan.onRecord())
                            .put("carePlanReason", Character.toUpperCase(plan.reason().charAt(0)) + plan.reason().substring(1) + ".")
                            .put("ready", status.getBoolean("ready") && plan.onRecord());
                }
                programs.put(program.wireName(), status);
            }
            return new JsonObject()
                    .put("id", patient.id().toString())
                    .put("practiceId", patient.practiceId().toString())
                    .put("externalRef", patient.externalRef())
                    .put("profile", profiles.find(patientId).map(PatientApi::json).orElse(null))
                    .put("conditions", conditionList.stream().map(ConditionApi::json).toList())
                    .put("eligibility", new JsonObject().put("asOf", day.toString())
                            .put("rpm", ConditionApi.json(ProgramEligibility.rpm(conditionList, day)))
                            .put("ccm", ConditionApi.json(ProgramEligibility.ccm(conditionList, day))))
                    .put("consents", consentList.stream().map(ProgramApi::json).toList())
                    .put("enrolments", enrolmentList.stream().map(ProgramApi::json).toList())
                    .put("programs", programs)
                    .put("carePlan", planVersions.stream().findFirst().map(v -> new JsonObject().put("version", v.version())
                            .put("reviewDate", v.plan().reviewDate().toString()).put("changedAt", v.createdAt().toString())
                            .put("establishedOn", v.establishedOn().toString())).orElse(null));
        });
    }

    private void saveProfile(RoutingContext ctx) {
        Principal principal = Principal.of(ctx);
        principal.require(Permission.EDIT_PATIENTS);
        UUID patientId = PatientAccess.patientId(ctx);
        RequestBody body = RequestBody.of(ctx);
        String given = body.string("givenName", 100);
        String family = body.string("familyName", 100);
        LocalDate birthDate = body.date("birthDate");
        Sex sex = Sex.fromWire(body.string("sex", 10)).orElseThrow(() -> ApiException.badRequest("'sex' must be female, male, other or unknown."));
        String mbi = body.optionalString("mbi", 20).map(Mbi::normalise).orElse(null);
        if (mbi != null) {
            Mbi.problem(mbi).ifPresent(problem -> {
                throw new ApiException(400, "invalid_mbi", problem);
            });
        }
        Address address = body.optionalObject("address").map(PatientApi::address).orElse(null);
        String phone = body.optionalString("phone", 30).orElse(null);
        if (phone != null && (!phone.matches("[+0-9 ()./-]+") || phone.replaceAll("[^0-9]", "").length() < 10
                || phone.replaceAll("[^0-9]", "").length() > 15)) {
            throw ApiException.badRequest("'phone' must be a telephone number of 10-15 digits, such as (312) 555-0100.");
        }
        ApiResponses.respondBlocking(ctx, 200, () -> {
            Patient patient = access.visible(principal, patientId);
            LocalDate today = access.today(patient.practiceId());
            if (birthDate.isAfter(today) || birthDate.isBefore(today.minusYears(130))) {
                throw ApiException.badRequest("'birthDate' must be in the past 130 years.");
            }
            return json(profiles.save(new PatientProfile(patientId, patient.practiceId(), given, family, birthDate, sex, mbi, address, phone,
                    principal.actor(), null)));
        });
    }

    private static Address address(RequestBody a) {
        String line1 = a.string("line1", 100);
        String line2 = a.optionalString("line2", 100).orElse(null);
        String city = a.string("city", 60);
        String state = a.string("state", 2).toUpperCase(java.util.Locale.ROOT);
        if (!Address.STATES.contains(state)) {
            throw ApiException.badRequest("'" + a.name("state") + "' must be a two-letter USPS state code such as IL.");
        }
        String zip = a.string("zip", 10).replace("-", "");
        if (!zip.matches("[0-9]{5}([0-9]{4})?")) {
            throw ApiException.badRequest("'" + a.name("zip") + "' must be a 5-digit or 9-digit ZIP code (60601 or 60601-1234).");
        }
        return new Address(line1, line2, city, state, zip);
    }

    public static JsonObject json(PatientProfile p) {
        Address a = p.address();
        return new JsonObject()
                .put("givenName", p.givenName())
                .put("familyName", p.familyName())
                .put("birthDate", p.birthDate().toString())
                .put("sex", p.sex().wireName())
                .put("mbi", p.mbi())
                .put("address", a == null ? null : new JsonObject().put("line1", a.line1()).put("line2", a.line2()).put("city", a.city())
                        .put("state", a.state()).put("zip", a.zip()).put("zipPlus4", a.hasZipPlus4()))
                .put("phone", p.phone())
                .put("updatedBy", p.updatedBy())
                .put("updatedAt", p.updatedAt() == null ? null : p.updatedAt().toString());
    }
}
