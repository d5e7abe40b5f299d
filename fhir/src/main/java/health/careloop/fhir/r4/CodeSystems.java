package health.careloop.fhir.r4;

/** The code systems and identifier systems CareLoop's resources use, named once. */
public final class CodeSystems {
    public static final String LOINC = "http://loinc.org";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm";
    public static final String SNOMED = "http://snomed.info/sct";
    /** Medicare Beneficiary Identifier (CMS): the identifier system US payers and EHRs use for it. */
    public static final String MBI = "http://hl7.org/fhir/sid/us-mbi";
    public static final String NPI = "http://hl7.org/fhir/sid/us-npi";
    public static final String IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203";
    public static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    public static final String CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    public static final String CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    public static final String CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category";
    public static final String CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
    public static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public static final String DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
    /** CareLoop's own identifiers: a practice's MRNs and devices, and the programs consented to. */
    public static final String CARELOOP = "https://careloop.health/fhir";
    public static final String DEVICE_ID = CARELOOP + "/sid/device";
    public static final String PROGRAM = CARELOOP + "/CodeSystem/program";

    private CodeSystems() {
    }

    /** A practice's medical record numbers: an MRN is unique only within the practice that issued it. */
    public static String mrnSystem(java.util.UUID practiceId) {
        return CARELOOP + "/sid/practice/" + practiceId + "/mrn";
    }
}
